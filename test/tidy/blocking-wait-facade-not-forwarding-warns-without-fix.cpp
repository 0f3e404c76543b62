// A facade that does more than forward its parameters (here: a fixed
// argument) has a twin that takes different arguments, so renaming the
// call would change its meaning: warned, never fixed. A catch handler
// cannot await at all.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-wait-in-coroutine %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<int> read_async(int fd, int timeout) { co_return fd + timeout; }
int read_default(int fd) { return vinyl::block_on(read_async(fd, 100)); }

vinyl::task<int> poll(int fd) {
  int n = read_default(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'read_default' is a blocking facade over 'read_async'; in coroutine 'poll', co_await 'read_async' instead [vinyl-blocking-wait-in-coroutine]
  try {
    n += fd;
  } catch (...) {
    n = vinyl::block_on(read_async(fd, 0));
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'vinyl::block_on' in coroutine 'poll' blocks the thread
    // CHECK-MESSAGES: :[[@LINE-2]]:9: note: co_await is not allowed in a catch handler
  }
  co_return n;
}
