// Reads every request head of a stream and sums what they say.
#pragma once
#include "reader.h"
#include <cstdint>

struct Totals {
  std::uint64_t requests = 0, header_lines = 0, body_bytes = 0, closes = 0,
                hash = 0;
};

Totals count_requests(ByteReader &r);
