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
// Private to lib/rewrite/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_FASTPATHS_H
#define VINYL_ASYNCIFY_LIB_REWRITE_FASTPATHS_H

#include "vinyl-asyncify/rewrite/Rewrite.h"

namespace vinyl {

class FastPathWriter {
public:
  FastPathWriter(const Config &C, SourceFiles &Sources)
      : C(C), Sources(Sources) {}

  /// What the return type of declaration \p D of a split function becomes.
  std::string resultType(const DeclFact &D) const;

  /// The coroutine's tag parameter, inserted at D.ParamsOpen.
  static std::string tagParameter(const DeclFact &D);

  /// What goes after declaration \p D of the split function \p Fn, whose
  /// coroutine is named \p Name (unqualified): after the definition, the
  /// plain half; after another declaration, the coroutine's.
  llvm::Expected<std::string> after(const FunctionFact &Fn, const DeclFact &D,
                                    llvm::StringRef Name);

private:
  llvm::Expected<std::string> plainHalf(const FunctionFact &Fn,
                                        const DeclFact &D,
                                        llvm::StringRef Name);

  const Config &C;
  SourceFiles &Sources;
};

} // namespace vinyl

#endif
