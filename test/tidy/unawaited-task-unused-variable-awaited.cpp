// A task kept in a variable that is never used is never awaited either: the
// declaration becomes the await, in place, so effects keep their order.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-unawaited-task %t.cpp
// RUN: %compile-both %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key * 2; }

vinyl::task<int> prefetch(int key) {
  auto pending = fetch(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: task 'pending' is never awaited, so 'fetch' never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await fetch(key);
  vinyl::task<int> spelled = fetch(key + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: task 'spelled' is never awaited, so 'fetch' never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await fetch(key + 1);
  co_return key;
}
