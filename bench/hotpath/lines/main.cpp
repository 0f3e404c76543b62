// lines: parses the HTTP request heads of FILE PASSES times (a line reader
// over a buffered byte reader, one call per byte) and prints a checksum, the
// lines read (ops: request and header lines) and the time taken (wall clock
// and CPU time of the process, in ns).
//   lines FILE PASSES
#include "count.h"

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
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE PASSES\n", argv[0]);
    return 2;
  }
  int passes = std::atoi(argv[2]);
  std::uint64_t check = 0, ops = 0;
  long long cpu_start = cpu_ns();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < passes; ++i) {
    int fd = ::open(argv[1], O_RDONLY);
    if (fd < 0) {
      std::perror(argv[1]);
      return 1;
    }
    ByteReader r{fd};
    Totals t = count_requests(r);
    ::close(fd);
    check = check * 31 + (t.hash ^ t.body_bytes ^ (t.closes << 40));
    ops += t.requests + t.header_lines;
  }
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  long long cpu = cpu_ns() - cpu_start;
  std::printf("checksum %016llx ops %llu ns %lld cpu_ns %lld\n",
              static_cast<unsigned long long>(check),
              static_cast<unsigned long long>(ops), static_cast<long long>(ns), cpu);
  return 0;
}
