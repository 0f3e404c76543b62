// A batch of point selects at pseudo-random keys.
#pragma once
#include "store.h"
#include <cstdint>

struct Found {
  std::uint64_t hits = 0, misses = 0;
  std::int64_t sum = 0;
};

/// `n` lookups of keys in [0, 2 * rows); the store holds the even ones, so
/// about half miss.
Found lookup_many(Store &store, std::int64_t rows, long n);
