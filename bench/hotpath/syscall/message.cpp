#include "block.h"

long read_message(int fd, char *buf, unsigned &sum) {
  long n = read_frame(fd, buf);
  if (n > 0)
    sum += static_cast<unsigned char>(buf[0]) + static_cast<unsigned char>(buf[n - 1]);
  return n;
}
