//===- BlockingCallInCoroutineCheck.h ---------------------------*- C++ -*-===//
//
// A rules leaf (::read, ::send, std::this_thread::sleep_for, ...) called in
// a coroutine blocks the thread the event loop runs on, stalling every other
// task. The fix is what the conversion writes: `co_await` the awaitable the
// rules name as its replacement.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_TIDY_BLOCKINGCALLINCOROUTINECHECK_H
#define VINYL_TIDY_BLOCKINGCALLINCOROUTINECHECK_H

#include "VinylCheck.h"

namespace vinyl::tidy {

class BlockingCallInCoroutineCheck : public VinylCheck {
public:
  using VinylCheck::VinylCheck;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &R) override;
};

} // namespace vinyl::tidy

#endif
