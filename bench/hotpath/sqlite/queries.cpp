#include "queries.h"

Found lookup_many(Store &store, std::int64_t rows, long n) {
  Found f;
  std::uint64_t x = 88172645463325252ull; // xorshift64
  for (long i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::int64_t v = store.lookup(static_cast<std::int64_t>(x % static_cast<std::uint64_t>(2 * rows)));
    if (v < 0) {
      ++f.misses;
    } else {
      ++f.hits;
      f.sum += v;
    }
  }
  return f;
}
