//===- Twins.h - The synchronous twins' text ---------------------*- C++
//-*-===//
//
// A twin is the body as it was, copied beside the coroutine with a tag
// parameter first: `R f(vinyl::twin_t, P... p) { ...original... }`. Only
// the calls whose meaning the conversion changed are edited in the copy
// (solve's twinCall): the callee's twin, `g(vinyl::twin, a)`, or its
// coroutine waited on in place, `block_on(g(a))`; and a mutex or condition
// variable that became a vinyl one is used as synchronous code uses it.
//
// Private to lib/rewrite/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_TWINS_H
#define VINYL_ASYNCIFY_LIB_REWRITE_TWINS_H

#include "vinyl-asyncify/rewrite/Rewrite.h"

#include <map>
#include <set>

namespace vinyl {

class TwinWriter {
public:
  TwinWriter(const Facts &F, const Solution &S, const Config &C,
             SourceFiles &Sources);

  /// What goes after declaration \p D of \p Fn (a function in S.Twins):
  /// for its definition, the twin's definition; for another declaration,
  /// the twin's declaration.
  llvm::Expected<std::string> after(const FunctionFact &Fn, const DeclFact &D);

  /// The facade's first statement, which runs the twin in blocking mode:
  /// `if (vinyl::runs_blocking())\n  return f(vinyl::twin, a);\n`, each
  /// line after \p Indent; \p Name is the function's unqualified name.
  std::string dispatch(llvm::StringRef Name, const DeclFact &D,
                       llvm::StringRef Indent) const;

  /// One replacement of a file's final edits.
  struct Folded {
    unsigned Offset, Length;
    std::string Text;
  };
  /// Writes each twin's fingerprint (facts/Fingerprint.h) into its comment,
  /// now that \p Edits (sorted, not overlapping) give its coroutine's text.
  void fillFingerprints(llvm::StringRef File, llvm::StringRef Code,
                        std::vector<Folded> &Edits) const;

private:
  struct Edit {
    unsigned Offset, Length;
    std::string Text;
    long Rank;
  };
  /// The edits a copy of [Begin, End) of \p File gets.
  std::vector<Edit> editsIn(const std::string &Id, llvm::StringRef File,
                            unsigned Begin, unsigned End) const;
  static std::string withTag(llvm::StringRef Text, unsigned At, bool Empty);

  const Facts &F;
  const Solution &S;
  const Config &C;
  SourceFiles &Sources;
  /// Calls and synchronous uses of vinyl objects, by file, by offset.
  std::map<std::string, std::multimap<unsigned, size_t>> CallsAt;
  std::map<std::string, std::multimap<unsigned, const TextEdit *>> SyncAt;
  /// A twin written, whose fingerprint waits for the coroutine's text: the
  /// offsets of the coroutine's braces, the placeholder in the comment.
  struct Pending {
    unsigned Open, Close;
    std::string Placeholder, TwinBody;
  };
  std::map<std::string, std::vector<Pending>> Fingerprints;
};

} // namespace vinyl

#endif
