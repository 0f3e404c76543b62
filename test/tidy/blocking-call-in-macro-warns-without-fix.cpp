// A call a macro writes cannot be edited in the file: warned, never fixed.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-call-in-coroutine %t.cpp

#include <unistd.h>
#include <vinyl/vinyl.hpp>

#define READ_ONE(fd, c) ::read(fd, &c, 1)

vinyl::task<int> get_byte(int fd) {
  char c = 0;
  if (READ_ONE(fd, c) != 1)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: blocking call to 'read' in coroutine 'get_byte'
    co_return -1;
  co_return c;
}
