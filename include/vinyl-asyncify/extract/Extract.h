//===- Extract.h - Facts from translation units, one parse each -*- C++ -*-===//
#ifndef VINYL_ASYNCIFY_EXTRACT_EXTRACT_H
#define VINYL_ASYNCIFY_EXTRACT_EXTRACT_H

#include "vinyl-asyncify/config/Config.h"
#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/config/Paths.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace clang {
class ASTContext;
namespace tooling {
class CompilationDatabase;
}
} // namespace clang

namespace vinyl {

struct ExtractOptions {
  const Config *Cfg = nullptr;
  const PathSet *Writable = nullptr;
  std::string RuntimeIncludeDir; ///< So converted code parses again.
  unsigned Jobs = 0; ///< 0: one per core.
  /// Where the compiler's messages about a TU go (default: stderr).
  llvm::raw_ostream *Diagnostics = nullptr;
  /// Called after each TU as (done, total, file), from one thread at a time.
  llvm::function_ref<void(unsigned, unsigned, llvm::StringRef)> Progress;
};

/// Facts from one parsed TU; the unit tests and the clang-tidy module call
/// this directly.
/// \p Skipped: the source ranges the preprocessor skipped (inactive
/// #if branches), to warn about code in converted functions that was not
/// seen.
Facts extractFromAST(clang::ASTContext &Ctx, const ExtractOptions &Opts,
                     llvm::ArrayRef<clang::SourceRange> Skipped = {});

/// Once every TU is merged: a call of a rules leaf's name whose callee is
/// also declared under the paths stays a call of that function if the
/// paths define it, and becomes the leaf otherwise. Call it on the facts of
/// the whole program (after merging every TU's), never on a part.
void resolveLeaves(Facts &F);

/// Once every TU is merged: a join of a member thread in a unit that
/// starts none of its threads (a destructor in another file than the
/// constructor) waits on what the member's threads run, found in the units
/// that start them; a join of a member no unit starts a task in is no join
/// of a task, and is dropped.
void linkThreadJoins(Facts &F);

/// Parses every file of \p Files with its command from \p DB, in parallel,
/// and merges the facts. A TU that does not compile is an error (its
/// diagnostics are printed), so nothing is rewritten from partial facts.
llvm::Expected<Facts> extractAll(const clang::tooling::CompilationDatabase &DB,
                                 llvm::ArrayRef<std::string> Files,
                                 const ExtractOptions &Opts);

} // namespace vinyl

#endif
