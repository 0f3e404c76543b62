#include "loop.h"
#include "block.h"

Read read_messages(int fd, long calls) {
  Read r;
  char buf[block_size];
  for (long i = 0; i < calls; ++i) {
    long n = read_message(fd, buf, r.sum);
    if (n <= 0)
      break;
    r.bytes += static_cast<std::uint64_t>(n);
  }
  return r;
}
