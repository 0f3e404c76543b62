//===- VinylCheck.h - What every vinyl-* check shares -----------*- C++ -*-===//
//
// The checks see the code the way the CLI does: the same rules files (the
// bundled posix.yaml next to the plugin, the project's .vinyl.yaml found
// upward from the file, then the RulesFiles option), the same task type and
// the same call queries (vinyl-asyncify/extract/CallSites.h). This base loads that
// configuration once per translation unit and answers the two questions
// every check asks about a call: which function it runs in, and whether its
// value is thrown away.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_TIDY_VINYLCHECK_H
#define VINYL_TIDY_VINYLCHECK_H

#include "vinyl-asyncify/config/Config.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include <optional>
#include <string>
#include <vector>

namespace vinyl::tidy {

using clang::tidy::ClangTidyContext;
using clang::tidy::ClangTidyOptions;

/// Where a call sits, as far as awaiting it is concerned.
struct CallPlace {
  /// The function whose body the call is in (a lambda's call operator for
  /// a call in a lambda body); null at namespace or class scope.
  const clang::FunctionDecl *Function = nullptr;
  /// The function is a coroutine and the call is in the body it was
  /// written with (not in the code Sema adds around it).
  bool InCoroutine = false;
  /// The call is never evaluated (sizeof, decltype, noexcept, typeid).
  bool Unevaluated = false;
  /// Why `co_await` cannot be written in front of it, if it cannot.
  const char *CannotAwait = nullptr;
};

/// Walks up from \p E to the function it runs in.
CallPlace placeOf(const clang::Expr &E, clang::ASTContext &Ctx);

/// Whether the value of \p E is thrown away: an expression statement, the
/// left of a comma, an arm of a discarded conditional, a for-increment.
/// A cast to void is a deliberate discard and does not count.
bool isDiscarded(const clang::Expr &E, clang::ASTContext &Ctx);

/// The statement-level variable \p E initialises, if \p E is its whole
/// initialiser and the declaration declares nothing else.
const clang::VarDecl *initialisedVariable(const clang::Expr &E,
                                          clang::ASTContext &Ctx);

/// The name of a function for messages: qualified, or "lambda" for a
/// lambda's call operator.
std::string displayName(const clang::FunctionDecl &FD);

class VinylCheck : public clang::tidy::ClangTidyCheck {
public:
  VinylCheck(llvm::StringRef Name, ClangTidyContext *Context);

  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  /// Every vinyl check looks at the calls the user wrote (matchUserCalls).
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override {
    matchUserCalls(Finder);
  }

protected:
  /// The merged rules; null when they could not be loaded (the error has
  /// been reported as a configuration diagnostic). Loaded on first use,
  /// which is during registerMatchers, once the file is known.
  const Config *config();

  /// Registers the matcher every vinyl check starts from: each call the
  /// user wrote ("call"), template patterns once rather than once per
  /// instantiation. False (and nothing registered) without a config.
  bool matchUserCalls(clang::ast_matchers::MatchFinder *Finder);

  /// The qualified names of the task types (TaskTypes option, else the
  /// `task: type:` of the rules).
  llvm::ArrayRef<std::string> taskTypes() const { return TaskTypes; }

  /// An #include of the runtime header into the main file, unless the TU
  /// already includes it, directly or not.
  std::optional<clang::FixItHint>
  includeRuntime(const clang::SourceManager &SM);

  /// Reports a configuration error of the library ("file:1:2: error: m")
  /// as clang-tidy's configuration warning ("file:1:2: m; ...").
  void reportConfigError(llvm::StringRef Message, llvm::StringRef Effect);

  /// A path from an option, relative to the compile command's directory.
  std::string resolveOptionPath(llvm::StringRef Path) const;

private:
  ClangTidyContext *Context;
  std::string RulesFilesOption;
  std::string TaskTypesOption;
  clang::tidy::utils::IncludeInserter Inserter;
  std::optional<Config> Cfg;
  bool Loaded = false;
  std::vector<std::string> TaskTypes;
};

} // namespace vinyl::tidy

#endif
