// co_await is not allowed in a catch handler: the warning stays, with a note
// saying why, and no fix is offered.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-unawaited-task %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<> report() { co_return; }
int risky();

vinyl::task<int> guarded() {
  try {
    co_return risky();
  } catch (...) {
    report();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the task returned by 'report' is discarded without being awaited, so it never runs [vinyl-unawaited-task]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: co_await is not allowed in a catch handler
  }
  co_return 0;
}
