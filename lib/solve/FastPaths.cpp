//===- FastPaths.cpp - Which async functions are split for a ready path ---===//
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
// Then the callers of those: a function whose every wait is a call of a
// restartable function (split at a guard, or at waits before which it does
// nothing), each at a statement extraction found it can resume at
// (ResumePoint), is split at those waits (Solution::Resumes). A caller
// split so that may have done work by the time it hands over is not
// restartable: a call of it cannot simply be made again.
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

/// Why \p Fn cannot have a plain half beside its coroutine, whatever the
/// split, or "".
std::string whyNoPlainHalf(const SolverState &St, const FunctionFact &Fn) {
  if (std::string Why = whyNoTaggedCopy(St, Fn); !Why.empty())
    return Why;
  for (const DeclFact &D : Fn.Decls) {
    if (D.TrailingReturn)
      return "its return type trails its parameters";
    if (D.Result.empty() || D.Result.back() == '&')
      return "it returns a reference";
  }
  auto Calls = St.CallsOf.find(Fn.Id);
  if (Calls != St.CallsOf.end())
    for (size_t I : Calls->second)
      if (CallKind K = St.F.Calls[I].Kind; K == CallKind::AddressTaken ||
                                           K == CallKind::Spawn ||
                                           K == CallKind::Join)
        return "its address is taken or a thread runs it";
  for (const SyncUseFact &U : St.F.SyncUses)
    if (U.Caller == Fn.Id && St.S.SyncConverted.count(U.Object))
      return "it uses a mutex or condition variable that becomes a vinyl one";
  return "";
}

/// Why \p Fn, async and not a coroutine yet, cannot be split at a cold
/// guard, or "".
std::string whyNoGuardSplit(const SolverState &St, const FunctionFact &Fn,
                            ArrayRef<size_t> Made) {
  if (!Fn.FastPath.Problem.empty())
    return Fn.FastPath.Problem;
  if (Fn.FastPath.Cold.File.empty())
    return "its definition was not seen";
  bool Declared = llvm::any_of(
      Fn.Decls, [](const DeclFact &D) { return !D.IsDefinition; });
  const Anchor &Cold = Fn.FastPath.Cold;
  for (size_t I : Made) {
    const CallFact &Call = St.F.Calls[I];
    if (Call.Callee == Fn.Id && !Declared)
      return "it calls itself and has no declaration before its definition";
    if (mayAwait(St, Call) && !Cold.contains(Call.Call))
      return fmt::format("it waits at line {}, outside the branch its "
                         "'if' guards",
                         Call.Loc.Line);
  }
  return "";
}

/// Whether a call of \p Id that is not ready has done nothing, so that its
/// caller may make it again: it is split at a guard, or at waits that
/// each come before anything with an effect (ResumePoint::Pristine).
bool restartable(const SolverState &St, const std::string &Id) {
  if (!St.S.FastPaths.count(Id))
    return false;
  auto Points = St.S.Resumes.find(Id);
  return Points == St.S.Resumes.end() ||
         llvm::all_of(Points->second, [&](size_t I) {
           return St.F.Calls[I].Resume.Pristine;
         });
}

/// Why \p Fn cannot be split as a caller of restartable functions,
/// resuming at the statement of each of its waits, or "". \p Points gets
/// those calls.
std::string whyNoResume(const SolverState &St, const FunctionFact &Fn,
                        ArrayRef<size_t> Made, std::vector<size_t> &Points) {
  bool Void = llvm::any_of(Fn.Decls, [](const DeclFact &D) {
    return D.IsDefinition && D.Result == "void";
  });
  for (size_t I : Made) {
    const CallFact &Call = St.F.Calls[I];
    if (!mayAwait(St, Call))
      continue;
    const FunctionFact *Callee = St.function(Call.Callee);
    std::string Name = Callee ? Callee->Name : Call.Callee;
    if (Callee && St.S.FastPaths.count(Call.Callee) &&
        !restartable(St, Call.Callee))
      return fmt::format("it waits at line {} on '{}', which may have done "
                         "work by the time it hands over",
                         Call.Loc.Line, Name);
    if (!Callee || !restartable(St, Call.Callee))
      return fmt::format("it waits at line {} on '{}', which has no ready "
                         "path that does nothing when it is not ready",
                         Call.Loc.Line, Name);
    if (!Call.Resume.Problem.empty())
      return Call.Resume.Problem;
    // g++'s loop condition as an if's (`while (true) { if (!(C)) break;`)
    // keeps the loop where the label is.
    bool LoopEdits = Call.Resume.LoopCondition && Call.Lowerings.empty();
    if (Call.Resume.Statement.File.empty() || Call.Kind != CallKind::Direct ||
        Call.Dependent || (!Call.AwaitEdits.empty() && !LoopEdits) ||
        !Call.Lowerings.empty() || !Call.Problem.empty())
      return fmt::format("its wait at line {} is rewritten beyond an "
                         "await",
                         Call.Loc.Line);
    // A loop condition is evaluated again whole: each call in it must
    // also change nothing when it is ready.
    if (Call.Resume.LoopCondition &&
        (St.S.Resumes.count(Call.Callee) || !Callee->FastPath.ReadyPure))
      return fmt::format("its loop condition at line {} calls '{}', whose "
                         "ready path may have side effects",
                         Call.Loc.Line, Name);
    // `return g();` of a void g: the plain half cannot return the value.
    if (Void && !Call.Resume.LoopCondition &&
        llvm::any_of(Fn.Returns, [&](const Anchor &R) {
          return Call.Resume.Statement.contains(R);
        }))
      return fmt::format("it returns a void call at line {}", Call.Loc.Line);
    Points.push_back(I);
  }
  if (Points.empty())
    return "it has no wait to resume at";
  llvm::sort(Points, [&](size_t A, size_t B) {
    return St.F.Calls[A].Call < St.F.Calls[B].Call;
  });
  // Two awaits in one statement would resume at the same place; in a loop
  // condition they do, and every call there that may have effects must be
  // one of them.
  for (size_t I = 0; I < Points.size(); ++I) {
    const ResumePoint &P = St.F.Calls[Points[I]].Resume;
    bool Same = I > 0 && St.F.Calls[Points[I - 1]].Resume.Statement ==
                             P.Statement;
    if (Same && !P.LoopCondition)
      return fmt::format("its statement at line {} waits twice",
                         St.F.Calls[Points[I]].Loc.Line);
    if (!P.LoopCondition || Same)
      continue;
    unsigned Awaited = llvm::count_if(Points, [&](size_t J) {
      return St.F.Calls[J].Resume.Statement == P.Statement;
    });
    if (Awaited != P.ConditionCalls)
      return fmt::format("its loop condition at line {} calls a function "
                         "that does not wait and may have side effects",
                         St.F.Calls[Points[I]].Loc.Line);
  }
  return "";
}

} // namespace

void chooseFastPaths(SolverState &St) {
  Solution &S = St.S;
  if (!St.C.FastPaths)
    return;
  // A lambda inside that becomes a coroutine is rewritten in the
  // coroutine half only.
  std::set<std::string> AsyncLambdaInside;
  for (const auto &[Id, Fn] : St.F.Functions)
    if (!Id.empty() && S.isAsync(Id) && !Fn.IsCoroutine && Fn.IsLambda)
      for (const auto &[OuterId, Outer] : St.F.Functions)
        if (S.isAsync(OuterId) && definedInside(Fn, Outer))
          AsyncLambdaInside.insert(OuterId);
  // The calls each function makes, gathered once: every test below looks
  // only at those of the function it decides on.
  std::map<std::string, std::vector<size_t>> Made;
  for (size_t I = 0; I < St.F.Calls.size(); ++I)
    Made[St.F.Calls[I].Caller].push_back(I);
  auto MadeBy = [&](const FunctionFact &Fn) -> ArrayRef<size_t> {
    auto It = Made.find(Fn.Id);
    return It == Made.end() ? ArrayRef<size_t>() : ArrayRef(It->second);
  };
  std::vector<const FunctionFact *> Candidates;
  for (const auto &[Id, State] : S.States) {
    const FunctionFact *Fn = St.function(Id);
    if (!State.Async || !Fn || Fn->IsCoroutine)
      continue;
    if (AsyncLambdaInside.count(Id))
      S.NoFastPath[Id] = "a lambda inside it becomes a coroutine";
    else if (std::string Why = whyNoPlainHalf(St, *Fn); !Why.empty())
      S.NoFastPath[Id] = std::move(Why);
    else if (std::string Why = whyNoGuardSplit(St, *Fn, MadeBy(*Fn));
             !Why.empty())
      Candidates.push_back(Fn);
    else
      S.FastPaths.insert(Id);
  }
  // Callers of restartable functions, level by level: a caller split so
  // is restartable in turn only where it hands over before doing
  // anything.
  for (bool More = true; More;) {
    More = false;
    for (const FunctionFact *Fn : Candidates) {
      std::vector<size_t> Points;
      if (S.FastPaths.count(Fn->Id) ||
          !whyNoResume(St, *Fn, MadeBy(*Fn), Points).empty())
        continue;
      S.Resumes[Fn->Id] = std::move(Points);
      S.FastPaths.insert(Fn->Id);
      More = true;
    }
  }
  for (const FunctionFact *Fn : Candidates) {
    std::vector<size_t> Points;
    if (S.FastPaths.count(Fn->Id))
      continue;
    if (std::string Why = whyNoResume(St, *Fn, MadeBy(*Fn), Points);
        !Why.empty()) {
      // Where it waits on I/O itself (or not at all), a guard is what it
      // lacks; where it only calls converted functions, what keeps it
      // from resuming.
      bool Waits = false, WaitsItself = false;
      for (size_t I : MadeBy(*Fn))
        if (const CallFact &Call = St.F.Calls[I]; mayAwait(St, Call)) {
          Waits = true;
          WaitsItself |= !St.function(Call.Callee);
        }
      WaitsItself |= !Waits;
      S.NoFastPath[Fn->Id] =
          WaitsItself ? whyNoGuardSplit(St, *Fn, MadeBy(*Fn)) : std::move(Why);
    }
  }
}

} // namespace vinyl::solver
