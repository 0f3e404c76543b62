// sqlite: fills an in-memory SQLite table with ROWS rows (the even keys
// below 2 * ROWS), then times LOOKUPS point selects through a small wrapper
// and prints a checksum, the lookups (ops) and the time taken (wall clock and
// CPU time of the process, in ns).
//   sqlite ROWS LOOKUPS
#include "queries.h"

#include "bench_timer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s ROWS LOOKUPS\n", argv[0]);
    return 2;
  }
  std::int64_t rows = std::atol(argv[1]);
  long lookups = std::atol(argv[2]);
  Store store;
  if (!store.open(":memory:") || !store.exec("BEGIN")) {
    std::fprintf(stderr, "sqlite: cannot open the database\n");
    return 1;
  }
  for (std::int64_t id = 0; id < 2 * rows; id += 2) // even keys only
    if (!store.put(id, "account-" + std::to_string(id * 7919 % 100003), id * 3)) {
      std::fprintf(stderr, "sqlite: insert failed\n");
      return 1;
    }
  if (!store.exec("COMMIT"))
    return 1;
  bench::timer timer;
  Found f = lookup_many(store, rows, lookups);
  timer.stop();
  store.close();
  timer.print((f.hits * 1000003 + f.misses) ^ static_cast<std::uint64_t>(f.sum),
              static_cast<unsigned long long>(lookups));
  return 0;
}
