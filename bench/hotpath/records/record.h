// Records "id,account,amount,currency\n" read one at a time.
#pragma once
#include "source.h"
#include <cstdint>

struct Record {
  std::uint64_t id = 0;
  char account[32] = {};
  std::int64_t amount = 0; ///< in cents, may be negative
  char currency[4] = {};
};

/// Reads the next well-formed record (malformed lines are skipped); false at
/// end of input.
bool next_record(Source &s, Record &r);
