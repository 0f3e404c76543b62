#include <unistd.h>

int next_byte(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

bool ready(int fd, bool want) { return want && next_byte(fd) == 'y'; }
