// Blocking calls in synchronous functions, in a synchronous lambda inside a
// coroutine, and in operands that are never evaluated, block no loop: silent.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-call-in-coroutine %t.cpp

#include <unistd.h>
#include <vinyl/vinyl.hpp>

int get_byte(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

vinyl::task<int> later(int fd) {
  auto sync = [fd] {
    char c = 0;
    return ::read(fd, &c, 1);
  };
  using Result = decltype(::read(fd, nullptr, 0));
  Result n = sizeof(::write(fd, nullptr, 0));
  co_return int(n) + get_byte(fd) + int(sync());
}

vinyl::task<long> done(int fd) {
  char c = 0;
  co_return co_await vinyl::io::read(fd, &c, 1);
}
