// The awaitables live in the runtime's umbrella header: a file that only
// includes the task header gets it added with the fix.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-call-in-coroutine %t.cpp
// RUN: %compile-both %t.cpp

#include <unistd.h>
#include <vinyl/task.hpp>
// CHECK-FIXES: #include <vinyl/task.hpp>
// CHECK-FIXES-NEXT: #include <vinyl/vinyl.hpp>

vinyl::task<long> drain(int fd) {
  char c = 0;
  co_return ::read(fd, &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: blocking call to 'read' in coroutine 'drain'
  // CHECK-FIXES: co_return co_await vinyl::io::read(fd, &c, 1);
}
