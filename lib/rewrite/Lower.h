//===- Lower.h - A lowered statement written with its edits -----*- C++ -*-===//
//
// The rewrite gathers edits per file (Edit) and folds them into
// replacements; a statement extraction lowered (Lowering) becomes one
// replacement made of its pieces, each source range written with the edits
// inside it, so that an outer lowering can carry it like any other edit.
//
// Private to lib/rewrite/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_LOWER_H
#define VINYL_ASYNCIFY_LIB_REWRITE_LOWER_H

#include "vinyl-asyncify/facts/Facts.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace vinyl {

/// One edit of a file: a replacement, or an insertion (Length 0).
struct Edit {
  unsigned Offset, Length;
  std::string Text;
  /// Among insertions at one offset, lower goes first.
  long Rank;
};

/// \p Edits in the order they are folded: by offset, insertions first,
/// then by rank.
void sortEdits(std::vector<Edit> &Edits);

/// Replaces the edits inside \p L's statement by one replacement: its
/// pieces, each source range written with the edits inside it. An
/// insertion where two pieces meet belongs to the operand there (the
/// `co_await ` before a call, the `)` after it), unless it is that of a
/// longer call around it. The offset of an edit that crosses the
/// statement's bounds or that no piece holds, if any.
std::optional<unsigned> lowerStatement(llvm::StringRef Code, const Lowering &L,
                                       std::vector<Edit> &Edits);

} // namespace vinyl

#endif
