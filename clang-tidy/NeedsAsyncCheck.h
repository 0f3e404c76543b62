//===- NeedsAsyncCheck.h - vinyl-needs-async --------------------*- C++ -*-===//
//
// Synchronous functions that must become coroutines. Within one TU: a
// function that is not a coroutine and calls an async function (one that
// returns the task type) only to drop the task, which then never runs.
// Across the program: with the FactsFile option, every function the CLI's
// whole-program solve made async (vinyl-asyncify/report/FactsFile.h), with the
// chain of calls down to the blocking leaf that explains why.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_TIDY_NEEDSASYNCCHECK_H
#define VINYL_TIDY_NEEDSASYNCCHECK_H

#include "VinylCheck.h"

#include "vinyl-asyncify/report/FactsFile.h"

namespace vinyl::tidy {

class NeedsAsyncCheck : public VinylCheck {
public:
  NeedsAsyncCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &R) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

private:
  void checkCall(const clang::CallExpr &Call,
                 const clang::ast_matchers::MatchFinder::MatchResult &R);
  void checkFunction(const clang::FunctionDecl &FD,
                     const clang::ast_matchers::MatchFinder::MatchResult &R);

  std::string FactsFileOption;
  std::optional<FactsFile> Facts;
};

} // namespace vinyl::tidy

#endif
