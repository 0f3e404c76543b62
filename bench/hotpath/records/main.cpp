// records: reads the records of FILE PASSES times, calling next_record once
// per record (next_record -> next_token -> next_byte, each in its own
// translation unit), and prints a checksum, the records read (ops) and the
// time taken (wall clock and CPU time of the process, in ns).
//   records FILE PASSES
#include "record.h"

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
    Source s{fd};
    Record r;
    std::int64_t balance = 0;
    std::uint64_t ids = 0;
    while (next_record(s, r)) {
      balance += r.currency[0] == 'E' ? r.amount : r.amount / 2;
      ids ^= r.id * 0x9E3779B97F4A7C15ull + static_cast<unsigned char>(r.account[0]);
      ++ops;
    }
    ::close(fd);
    check = check * 31 + (ids ^ static_cast<std::uint64_t>(balance));
  }
  timer.stop();
  timer.print(check, ops);
  return 0;
}
