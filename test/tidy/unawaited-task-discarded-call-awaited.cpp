// A task whose result is thrown away in a coroutine never runs: it is
// awaited where it stands, and the fixed file compiles with both compilers.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-unawaited-task %t.cpp
// RUN: %compile-both %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key * 2; }
vinyl::task<> flush() { co_return; }

struct Store {
  vinyl::task<> save(int key) {
    co_await flush();
    (void)key;
  }
};

vinyl::task<int> update(Store &store, int key) {
  fetch(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task returned by 'fetch' is discarded without being awaited, so it never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await fetch(key);
  store.save(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task returned by 'Store::save' is discarded without being awaited, so it never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await store.save(key);
  ::flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task returned by 'flush' is discarded without being awaited, so it never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await ::flush();
  co_return co_await fetch(key);
}
