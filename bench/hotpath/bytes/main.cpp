// bytes: reads FILE PASSES times through a buffered byte reader, one call
// per byte, and prints a checksum, the bytes read (ops) and the time taken
// (wall clock and CPU time of the process, in ns).
//   bytes FILE PASSES
#include "count.h"

#include "bench_timer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE PASSES\n", argv[0]);
    return 2;
  }
  int passes = std::atoi(argv[2]);
  std::uint64_t check = 0, ops = 0;
  bench::timer timer;
  for (int i = 0; i < passes; ++i) {
    int fd = ::open(argv[1], O_RDONLY);
    if (fd < 0) {
      std::perror(argv[1]);
      return 1;
    }
    ByteReader r{fd};
    Counts c = count_bytes(r);
    ::close(fd);
    check = check * 31 + (c.hash ^ c.lines);
    ops += c.bytes;
  }
  timer.stop();
  timer.print(check, ops);
  return 0;
}
