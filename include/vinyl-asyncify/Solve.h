//===- Solve.h - Whole-program colouring from the I/O leaves up -*- C++ -*-===//
#ifndef VINYL_ASYNCIFY_SOLVE_H
#define VINYL_ASYNCIFY_SOLVE_H

#include "vinyl-asyncify/Config.h"
#include "vinyl-asyncify/Diagnostics.h"
#include "vinyl-asyncify/Facts.h"

#include <map>
#include <string>
#include <vector>

namespace vinyl {

struct FunctionState {
  bool Async = false;
  /// Keeps its name and signature as a blocking facade over the coroutine.
  bool Facade = false;
  /// The call that made it async (an index into Facts::Calls), or -1 when
  /// it already was a coroutine.
  int Reason = -1;
};

struct Solution {
  std::map<std::string, FunctionState> States;
  std::vector<Diagnostic> Diags;

  bool isAsync(const std::string &Id) const;
  bool hasFacade(const std::string &Id) const;
  bool hasErrors() const;
};

/// Colours every function that reaches a leaf, decides the facades, and
/// reports what cannot be converted, each with the chain down to a leaf.
Solution solve(const Facts &F, const Config &C);

/// The chain that made \p Id async, one note per call down to the leaf.
std::vector<Note> explainChain(const Facts &F, const Solution &S,
                               const std::string &Id);

} // namespace vinyl

#endif
