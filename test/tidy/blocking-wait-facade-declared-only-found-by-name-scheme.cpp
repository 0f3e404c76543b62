// When only declarations are visible (the facade is defined in another
// file), the twin is the sibling the name scheme names, returning a task
// and taking the same parameters; a project's name_scheme is honoured.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t
// RUN: %check_tidy %t/a.cpp vinyl-blocking-wait-in-coroutine %t/fixed.cpp
// RUN: %compile-both %t/fixed.cpp

//--- .vinyl.yaml
name_scheme: "async_{}"

//--- a.cpp
#include <vinyl/vinyl.hpp>

int get(int fd);
vinyl::task<int> async_get(int fd);
int put(int fd, int v);
vinyl::task<int> async_put(int fd, long v); // Not the same parameters.

vinyl::task<int> copy(int from, int to) {
  int v = get(from);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'get' is a blocking facade over 'async_get'; in coroutine 'copy', co_await 'async_get' instead [vinyl-blocking-wait-in-coroutine]
  // CHECK-FIXES: int v = co_await async_get(from);
  co_return put(to, v);
}
