// A small buffered reader over a file descriptor, one character at a time.
#pragma once
#include <cstddef>

class Reader {
public:
  explicit Reader(int fd) : fd_(fd) {}

  /// The next character without consuming it, or -1 at end of input.
  int peek();
  /// The next character, or -1 at end of input.
  int get();
  /// Skips spaces and tabs (not newlines, which end an expression).
  void skip_blanks();

private:
  bool fill();

  int fd_;
  char buf_[64];
  std::size_t pos_ = 0, len_ = 0;
};
