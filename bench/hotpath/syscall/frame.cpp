#include "block.h"

#include <cerrno>

long read_frame(int fd, char *buf) {
  for (;;) {
    long n = read_block(fd, buf);
    if (n >= 0 || errno != EINTR)
      return n;
  }
}
