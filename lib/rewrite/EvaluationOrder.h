//===- EvaluationOrder.h - Whether g++ reorders a full-expression -*- C++ -*-===//
//
// Extraction rearranges a statement whose awaits g++ 12 might evaluate
// before effects the original evaluated first (extract/LowerOrder.cpp),
// not knowing which of its calls will be awaited. The rewrite does know,
// and keeps the statement as written where g++ keeps the order.
//
// Private to lib/rewrite/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_EVALUATIONORDER_H
#define VINYL_ASYNCIFY_LIB_REWRITE_EVALUATIONORDER_H

#include "vinyl-asyncify/facts/Facts.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace vinyl {

/// Whether g++ 12 evaluates \p Order (a full-expression's effects, in the
/// order the original evaluated them) in another order once the calls for
/// which \p Awaited holds are awaits: it evaluates those first, the ones
/// whose result is a class before the others, each group in the order they
/// end in the text, and then the rest.
bool gccReorders(llvm::ArrayRef<OrderUnit> Order,
                 llvm::function_ref<bool(const Anchor &)> Awaited);

} // namespace vinyl

#endif
