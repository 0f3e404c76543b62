#include "count.h"

Counts count_bytes(ByteReader &r) {
  Counts c;
  for (int b = get_byte(r); b != -1; b = get_byte(r)) {
    ++c.bytes;
    if (b == '\n')
      ++c.lines;
    c.hash = (c.hash ^ static_cast<std::uint64_t>(b)) * 1099511628211ull;
  }
  return c;
}
