#include "reader.h"

#include <cerrno>
#include <unistd.h>

bool Reader::fill() {
  for (;;) {
    ssize_t n = ::read(fd_, buf_, sizeof buf_);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    pos_ = 0;
    len_ = static_cast<std::size_t>(n);
    return true;
  }
}

int Reader::peek() {
  if (pos_ == len_ && !fill())
    return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

int Reader::get() {
  int c = peek();
  if (c != -1)
    ++pos_;
  return c;
}

void Reader::skip_blanks() {
  while (peek() == ' ' || peek() == '\t')
    get();
}
