// Results are discarded in more places than a plain expression statement:
// an unbraced branch, a loop body, a for-increment, the left of a comma.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-unawaited-task %t.cpp
// RUN: %compile-both %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<> tick() { co_return; }

vinyl::task<int> loop(int n) {
  if (n > 0)
    tick();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task returned by 'tick' is discarded without being awaited, so it never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await tick();
  else
    tick();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task returned by 'tick' is discarded
  // CHECK-FIXES: co_await tick();
  for (int i = 0; i < n; ++i, tick())
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: the task returned by 'tick' is discarded
    // CHECK-FIXES: for (int i = 0; i < n; ++i, co_await tick())
    tick();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task returned by 'tick' is discarded
  // CHECK-FIXES: co_await tick();
  while (n-- > 0)
    tick(), --n;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task returned by 'tick' is discarded
  // CHECK-FIXES: co_await tick(), --n;
  co_return n;
}
