// A rules leaf called in a coroutine becomes `co_await` of its replacement
// from the bundled rules, however the call is spelled and wherever it sits
// in an expression.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-call-in-coroutine %t.cpp
// RUN: %compile-both %t.cpp

#include <chrono>
#include <thread>
#include <unistd.h>
#include <vinyl/vinyl.hpp>

vinyl::task<int> get_byte(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'read' in coroutine 'get_byte' stalls every task on this thread; use 'co_await vinyl::io::read' [vinyl-blocking-call-in-coroutine]
  // CHECK-FIXES: co_await vinyl::io::read(fd, &c, 1);
  if (read(fd, &c, 1) != 1)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: blocking call to 'read' in coroutine 'get_byte'
    // CHECK-FIXES: if (co_await vinyl::io::read(fd, &c, 1) != 1)
    co_return -1;
  long n = write(fd, &c, 1) + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call to 'write' in coroutine 'get_byte' stalls every task on this thread; use 'co_await vinyl::io::write'
  // CHECK-FIXES: long n = co_await vinyl::io::write(fd, &c, 1) + 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'std::this_thread::sleep_for' in coroutine 'get_byte' stalls every task on this thread; use 'co_await vinyl::io::sleep_for'
  // CHECK-FIXES: co_await vinyl::io::sleep_for(std::chrono::milliseconds(1));
  co_return c + int(n);
}

struct Reader {
  int fd;
  vinyl::task<int> next() {
    char c = 0;
    co_return ::read(fd, &c, 1) == 1 ? c : -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: blocking call to 'read' in coroutine 'Reader::next'
    // CHECK-FIXES: co_return co_await vinyl::io::read(fd, &c, 1) == 1 ? c : -1;
  }
};
