#include "reader.h"

#include <cerrno>
#include <unistd.h>

namespace {

bool refill(ByteReader &r) {
  for (;;) {
    ssize_t n = ::read(r.fd, r.buf, sizeof r.buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    r.pos = 0;
    r.len = static_cast<std::size_t>(n);
    return true;
  }
}

} // namespace

int get_byte(ByteReader &r) {
  if (r.pos == r.len && !refill(r))
    return -1;
  return r.buf[r.pos++];
}
