//===- FastPaths.h - The text of a split function ---------------*- C++ -*-===//
//
// A split function (solve/FastPaths.cpp) is written as three pieces:
//  - its coroutine, converted in place as any other, with the tag first:
//    `task<R> f(vinyl::slow_t, P... p) { ...awaits... }`;
//  - after it, the plain half: the original body with the guarded branch
//    replaced by the hand-over, `vinyl::fast_task<R> f(P... p) { if (G)
//    { return f(vinyl::slow, p...); } ...as written... }`;
//  - beside each other declaration, which now declares the plain half, a
//    declaration of the coroutine.
// The facade (if any) and a twin follow, as for any converted function.
//
// A caller split at its waits (Solution::Resumes) has no guard: its plain
// half hoists each awaited call before its statement, `auto vinyl_ready_K
// = g(a); if (!vinyl_ready_K.ready()) return f(vinyl::slow_t(K), p...);`,
// and uses `std::move(vinyl_ready_K).take_value()` where the call was. The
// coroutine half, `task<R> f(vinyl::slow_t vinyl_at, P... p)`, starts
// with `switch (vinyl_at.at) { case K: goto vinyl_at_K; ... }` and has the
// label `vinyl_at_K:` before the statement (Rewrite.cpp writes those).
// Where the calls are in a `while` condition, the plain half's loop is
// `for (;;) { bool vinyl_stop_K = false; bool vinyl_go_K =
// static_cast<bool>(C'); if (vinyl_stop_K) return f(vinyl::slow_t(K),
// p...); if (!vinyl_go_K) break; body }`, each call in C' taken by
// vinyl::ready_or_stop, and the label goes before the loop.
//
// Private to lib/rewrite/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_FASTPATHS_H
#define VINYL_ASYNCIFY_LIB_REWRITE_FASTPATHS_H

#include "vinyl-asyncify/rewrite/Rewrite.h"

namespace vinyl {

/// One point at which a caller's plain half hands over: the call, its
/// statement, and the call as the plain half writes it (its callee's
/// plain half, renamed beside a facade).
struct HandOver {
  Anchor Call, Statement;
  bool Braces = false;
  std::string CallText;
  /// The resume point's number K (calls in one loop condition share it).
  unsigned Point = 0;
  /// A call in a `while` condition (ResumePoint::LoopCondition).
  bool LoopCondition = false;
  Anchor Condition, BodyEnd;
};

/// \p Type, to replace the return type that ends at \p End in \p Text,
/// with a space after it where the name follows with none (`T &name`).
std::string returnTypeBefore(llvm::StringRef Text, unsigned End,
                             std::string Type);

class FastPathWriter {
public:
  FastPathWriter(const Config &C, SourceFiles &Sources)
      : C(C), Sources(Sources) {}

  /// What the return type of declaration \p D of a split function becomes.
  std::string resultType(const DeclFact &D) const;

  /// The coroutine's tag parameter, inserted at D.ParamsOpen; \p Named
  /// where the body reads it (a caller split at its waits).
  static std::string tagParameter(const DeclFact &D, bool Named = false);

  /// What goes after declaration \p D of the split function \p Fn, whose
  /// coroutine is named \p Name (unqualified): after the definition, the
  /// plain half; after another declaration, the coroutine's. \p Resume
  /// holds the hand-over points of a caller split at its waits, and is
  /// empty for a function split at a guard.
  llvm::Expected<std::string> after(const FunctionFact &Fn, const DeclFact &D,
                                    llvm::StringRef Name,
                                    llvm::ArrayRef<HandOver> Resume);

private:
  llvm::Expected<std::string> plainHalf(const FunctionFact &Fn,
                                        const DeclFact &D,
                                        llvm::StringRef Name,
                                        llvm::ArrayRef<HandOver> Resume);

  const Config &C;
  SourceFiles &Sources;
};

} // namespace vinyl

#endif
