#include "source.h"

#include <cerrno>
#include <unistd.h>

int next_byte(Source &s) {
  if (s.pos == s.len) {
    ssize_t n;
    do
      n = ::read(s.fd, s.buf, sizeof s.buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
      return -1;
    s.pos = 0;
    s.len = static_cast<std::size_t>(n);
  }
  return s.buf[s.pos++];
}
