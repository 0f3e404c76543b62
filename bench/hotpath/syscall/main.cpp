// syscall: CALLS reads of 64 bytes of FILE (default /dev/zero), each through
// three function levels to read(2); prints a checksum, the calls (ops) and
// the time taken (wall clock and CPU time of the process, in ns). The
// control: every call makes a system call.
//   syscall CALLS [FILE]
#include "loop.h"

#include "bench_timer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s CALLS [FILE]\n", argv[0]);
    return 2;
  }
  long calls = std::atol(argv[1]);
  const char *path = argc == 3 ? argv[2] : "/dev/zero";
  int fd = ::open(path, O_RDONLY);
  if (fd < 0) {
    std::perror(path);
    return 1;
  }
  bench::timer timer;
  Read r = read_messages(fd, calls);
  timer.stop();
  ::close(fd);
  timer.print(r.bytes * 1000003 + r.sum, static_cast<unsigned long long>(calls));
  return 0;
}
