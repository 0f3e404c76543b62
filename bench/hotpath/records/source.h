// A buffered source of bytes over a file descriptor (4 KiB buffer, refilled
// with read(2)).
#pragma once
#include <cstddef>

struct Source {
  int fd;
  std::size_t pos = 0, len = 0;
  unsigned char buf[4096];
};

/// The next byte, or -1 at end of input or on an error.
int next_byte(Source &s);
