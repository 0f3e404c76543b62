//===- Rewrite.h - From colours and anchors to edits -------------*- C++ -*-===//
#ifndef VINYL_ASYNCIFY_REWRITE_REWRITE_H
#define VINYL_ASYNCIFY_REWRITE_REWRITE_H

#include "vinyl-asyncify/config/Config.h"
#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/solve/Solve.h"

#include "clang/Tooling/Refactoring/AtomicChange.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

namespace vinyl {

/// The original text of the files being rewritten, read once.
class SourceFiles {
public:
  llvm::Expected<llvm::StringRef> get(llvm::StringRef Path);

private:
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Buffers;
};

/// One AtomicChange per changed file, keyed by its path, holding every edit
/// of that file and the runtime header insertion. Edits of one file that
/// overlap are a conflict and an error.
llvm::Expected<std::vector<clang::tooling::AtomicChange>>
rewrite(const Facts &F, const Solution &S, const Config &C,
        SourceFiles &Sources);

} // namespace vinyl

#endif
