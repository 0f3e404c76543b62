// syscall: CALLS reads of 64 bytes of FILE (default /dev/zero), each through
// three function levels to read(2); prints a checksum, the calls (ops) and
// the time taken (wall clock and CPU time of the process, in ns). The
// control: every call makes a system call.
//   syscall CALLS [FILE]
#include "loop.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

// CPU time of the process (all threads), in nanoseconds.
static long long cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

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
  long long cpu_start = cpu_ns();
  auto start = std::chrono::steady_clock::now();
  Read r = read_messages(fd, calls);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  long long cpu = cpu_ns() - cpu_start;
  ::close(fd);
  std::printf("checksum %016llx ops %ld ns %lld cpu_ns %lld\n",
              static_cast<unsigned long long>(r.bytes * 1000003 + r.sum), calls,
              static_cast<long long>(ns), cpu);
  return 0;
}
