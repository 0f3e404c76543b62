// The alternative that keeps the function synchronous, waiting with
// vinyl::block_on, is a fix-it on a note: applied with --fix-notes only.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-needs-async %t.cpp --fix-notes
// RUN: %compile-both %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key; }

void warm(int key) {
  fetch(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'warm' is synchronous but calls the async function 'fetch' without awaiting it, so the task never runs; 'warm' must become a coroutine [vinyl-needs-async]
  // CHECK-FIXES: vinyl::block_on(fetch(key));
}
