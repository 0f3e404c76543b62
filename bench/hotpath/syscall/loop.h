// Makes `calls` read_message calls on one descriptor.
#pragma once
#include <cstdint>

struct Read {
  std::uint64_t bytes = 0;
  unsigned sum = 0;
};

Read read_messages(int fd, long calls);
