//===- LocksAcrossAwait.cpp - A mutex held across a suspension ------------===//
//
// On the event loop another task that takes the same mutex blocks the
// loop's thread, and the holder never gets back to release it. A warning,
// not an error: converting does not change what the code does in blocking
// mode, and a unique_lock may be released before the call.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

namespace vinyl::solver {

void lockAcrossAwait(SolverState &St, const CallFact &Call) {
  const Solution &S = St.S;
  if (Call.HeldLock.empty() || Call.BlockedOn || !Call.Problem.empty() ||
      Call.Kind == CallKind::AddressTaken || Call.Kind == CallKind::Spawn ||
      Call.Kind == CallKind::Implicit)
    return;
  const FunctionFact *Caller = St.function(Call.Caller);
  bool Awaited = (Call.Awaited && Caller && Caller->IsCoroutine) ||
                 (S.isAsync(Call.Caller) &&
                  (isLeafId(Call.Callee) || S.isAsync(Call.Callee)));
  if (!Awaited)
    return;
  Diagnostic D;
  D.Severity = Diagnostic::Warning;
  D.Loc = Call.Loc;
  D.Check = "vinyl-lock-across-await";
  D.Message = fmt::format(
      "the lock {} is held across this call, which is a co_await: on the "
      "event loop another task that takes the same mutex blocks the "
      "thread; release the lock before the call",
      Call.HeldLock);
  D.Notes = explainChain(St.F, S, Call.Callee);
  St.S.Diags.push_back(std::move(D));
}

} // namespace vinyl::solver
