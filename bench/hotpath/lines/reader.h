// A buffered byte reader over a file descriptor: get_byte hands out one byte
// at a time and refills a 4 KiB buffer with read(2) when it runs dry.
#pragma once
#include <cstddef>

struct ByteReader {
  int fd;
  std::size_t pos = 0, len = 0;
  unsigned char buf[4096];
};

/// The next byte of the descriptor, or -1 at end of input or on an error.
int get_byte(ByteReader &r);
