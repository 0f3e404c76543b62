//===- UnawaitedTaskCheck.h - vinyl-unawaited-task --------------*- C++ -*-===//
//
// A task is lazy: until it is awaited it never runs. Inside a coroutine, a
// call returning the task type whose result is thrown away, or kept in a
// variable that is never used, is a call that silently does nothing. The
// fix awaits it where it stands.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_TIDY_UNAWAITEDTASKCHECK_H
#define VINYL_TIDY_UNAWAITEDTASKCHECK_H

#include "VinylCheck.h"

namespace vinyl::tidy {

class UnawaitedTaskCheck : public VinylCheck {
public:
  using VinylCheck::VinylCheck;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &R) override;
};

} // namespace vinyl::tidy

#endif
