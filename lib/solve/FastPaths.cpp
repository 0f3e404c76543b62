//===- FastPaths.cpp - Which async functions are split at a cold guard ----===//
//
// Under `fast_paths: true` a converted function whose every wait lies
// behind one guard free of side effects (extraction's FastPathFact) is
// split: a plain half, `vinyl::fast_task<R> f(P...)`, is the body with the
// guarded branch replaced by `return f(vinyl::slow, p...);`, and the
// coroutine as converted becomes `task<R> f(vinyl::slow_t, P...)`. A call
// whose guard is false then builds no coroutine frame, in either mode.
//
// The plain half is a copy of the text with a tag overload beside it, so
// it needs what a twin needs (whyNoTaggedCopy), and more: its result
// converts to fast_task (no reference), nothing outside the cold part
// awaits or locks a vinyl mutex, its address is never taken (a second
// overload would make it ambiguous) and no thread runs it, and a
// recursive call finds the plain half declared before the coroutine.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

using namespace llvm;

namespace vinyl::solver {

namespace {

/// Whether the rewrite may turn \p Call into an await (or a wait).
bool mayAwait(const SolverState &St, const CallFact &Call) {
  if (Call.Kind == CallKind::BlockingWait || isLeafId(Call.Callee))
    return true;
  if (isCallbackId(Call.Callee))
    return St.S.isAsync(Call.Callee);
  const FunctionFact *Callee = St.function(Call.Callee);
  return St.S.isAsync(Call.Callee) || (Callee && Callee->IsCoroutine);
}

/// Why \p Fn, async and not a coroutine yet, cannot be split, or "".
std::string whyNoFastPath(const SolverState &St, const FunctionFact &Fn) {
  if (std::string Why = whyNoTaggedCopy(St, Fn); !Why.empty())
    return Why;
  if (!Fn.FastPath.Problem.empty())
    return Fn.FastPath.Problem;
  if (Fn.FastPath.Cold.File.empty())
    return "its definition was not seen";
  bool Declared = false;
  for (const DeclFact &D : Fn.Decls) {
    if (D.TrailingReturn)
      return "its return type trails its parameters";
    if (D.Result.empty() || D.Result.back() == '&')
      return "it returns a reference";
    Declared |= !D.IsDefinition;
  }
  const Anchor &Cold = Fn.FastPath.Cold;
  for (const CallFact &Call : St.F.Calls) {
    if (Call.Callee == Fn.Id &&
        (Call.Kind == CallKind::AddressTaken || Call.Kind == CallKind::Spawn ||
         Call.Kind == CallKind::Join))
      return "its address is taken or a thread runs it";
    if (Call.Caller != Fn.Id)
      continue;
    if (Call.Callee == Fn.Id && !Declared)
      return "it calls itself and has no declaration before its definition";
    if (mayAwait(St, Call) && !Cold.contains(Call.Call))
      return fmt::format("it waits at line {}, outside the branch its "
                         "'if' guards",
                         Call.Loc.Line);
  }
  for (const SyncUseFact &U : St.F.SyncUses)
    if (U.Caller == Fn.Id && St.S.SyncConverted.count(U.Object))
      return "it uses a mutex or condition variable that becomes a vinyl one";
  return "";
}

} // namespace

void chooseFastPaths(SolverState &St) {
  Solution &S = St.S;
  if (!St.C.FastPaths)
    return;
  for (const auto &[Id, State] : S.States) {
    const FunctionFact *Fn = St.function(Id);
    if (!State.Async || !Fn || Fn->IsCoroutine)
      continue;
    if (std::string Why = whyNoFastPath(St, *Fn); !Why.empty())
      S.NoFastPath[Id] = std::move(Why);
    else
      S.FastPaths.insert(Id);
  }
  // A lambda inside that becomes a coroutine is rewritten in the
  // coroutine half only.
  for (const auto &[Id, Fn] : St.F.Functions)
    if (!Id.empty() && S.isAsync(Id) && !Fn.IsCoroutine && Fn.IsLambda)
      for (const std::string &Outer : std::set<std::string>(S.FastPaths))
        if (definedInside(Fn, St.F.Functions.at(Outer))) {
          S.FastPaths.erase(Outer);
          S.NoFastPath[Outer] = "a lambda inside it becomes a coroutine";
        }
}

} // namespace vinyl::solver
