//===- EvaluationOrder.cpp - Whether g++ reorders a full-expression -------===//
//
// See EvaluationOrder.h; the model is what g++ 12.2 did in the programs of
// test/convert/gcc-awaits-keep-the-original-evaluation-order.cpp.
//
//===----------------------------------------------------------------------===//
#include "EvaluationOrder.h"

#include "llvm/ADT/STLExtras.h"

#include <vector>

namespace vinyl {

bool gccReorders(llvm::ArrayRef<OrderUnit> Order,
                 llvm::function_ref<bool(const Anchor &)> Awaited) {
  std::vector<size_t> Classes, Scalars, Rest;
  for (size_t I = 0; I < Order.size(); ++I) {
    const OrderUnit &U = Order[I];
    bool Await = !U.Call.File.empty() && Awaited(U.Call);
    (!Await ? Rest : U.ClassResult ? Classes : Scalars).push_back(I);
  }
  auto ByEnd = [&](size_t A, size_t B) {
    return Order[A].Call.Offset + Order[A].Call.Length <
           Order[B].Call.Offset + Order[B].Call.Length;
  };
  llvm::stable_sort(Classes, ByEnd);
  llvm::stable_sort(Scalars, ByEnd);
  std::vector<size_t> Gcc = std::move(Classes);
  llvm::append_range(Gcc, Scalars);
  llvm::append_range(Gcc, Rest);
  for (size_t I = 0; I < Gcc.size(); ++I)
    if (Gcc[I] != I)
      return true;
  return false;
}

} // namespace vinyl
