//===- Check.h - What --check reports, from facts and the solution -*- C++ -*-===//
//
// The CI gate: code is at the fixpoint when no function still has to become
// a coroutine and no coroutine blocks or drops a task. Everything here is
// derived from the facts and the solution; no AST is needed.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_SOLVE_CHECK_H
#define VINYL_ASYNCIFY_SOLVE_CHECK_H

#include "vinyl-asyncify/config/Config.h"
#include "vinyl-asyncify/facts/Diagnostics.h"
#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/solve/Solve.h"

#include <vector>

namespace vinyl {

/// The findings of --check besides the solver's refusals, sorted:
///  - vinyl-needs-async: a synchronous function that reaches I/O;
///  - vinyl-unawaited-task: a task dropped or stored and never used;
///  - vinyl-blocking-call-in-coroutine: a leaf called in a coroutine;
///  - vinyl-blocking-wait-in-coroutine: block_on or a facade called in one;
///  - vinyl-thread-needs-spawn: a thread (per the spawn rules) that runs a
///    function reaching I/O.
/// Each carries the chain that explains it, one note per call.
std::vector<Diagnostic> checkFixpoint(const Facts &F, const Solution &S,
                                      const Config &C);

} // namespace vinyl

#endif
