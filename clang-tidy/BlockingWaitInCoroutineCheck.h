//===- BlockingWaitInCoroutineCheck.h ---------------------------*- C++ -*-===//
//
// `vinyl::block_on(t)` in a coroutine, or a call of a blocking facade
// (`int f(int x) { return vinyl::block_on(f_async(x)); }`), waits for a task
// by blocking the thread, where awaiting it would let the loop run others;
// with the async backend it can even deadlock. The fix awaits the task, or
// the facade's async twin.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_TIDY_BLOCKINGWAITINCOROUTINECHECK_H
#define VINYL_TIDY_BLOCKINGWAITINCOROUTINECHECK_H

#include "VinylCheck.h"

namespace vinyl::tidy {

class BlockingWaitInCoroutineCheck : public VinylCheck {
public:
  using VinylCheck::VinylCheck;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &R) override;

private:
  void checkBlockOn(const clang::CallExpr &Call, const CallPlace &Place,
                    const clang::ast_matchers::MatchFinder::MatchResult &R);
  void checkFacade(const clang::CallExpr &Call,
                   const clang::FunctionDecl &Facade, const CallPlace &Place,
                   const clang::ast_matchers::MatchFinder::MatchResult &R);
};

} // namespace vinyl::tidy

#endif
