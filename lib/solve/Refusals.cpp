//===- Refusals.cpp - What would be wrong code if it were converted -------===//
//
// Once the colours and facades are known, every async function and every
// call that must change has to be rewritable as text, and no async
// callable may go where its calls would not be awaited. Each refusal is an
// error located at the culprit, with the chain that made it matter; the
// run then writes nothing.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

using namespace llvm;

namespace vinyl::solver {
namespace {

/// An async function that cannot be rewritten: declared or overriding
/// outside the paths, a declaration a macro writes, a facade that cannot
/// forward, an operator that cannot keep its name.
void checkFunction(SolverState &St, const std::string &Id,
                   const FunctionState &State, const FunctionFact &Fn) {
  if (Fn.DeclaredOutside)
    St.error(Fn.Loc,
             fmt::format("'{}' reaches blocking I/O but is also declared "
                         "outside the paths being converted; add that file "
                         "to the paths",
                         Fn.Name),
             Id);
  if (!Fn.OverridesOutside.empty())
    St.error(Fn.Loc,
             fmt::format("'{}' reaches blocking I/O but overrides '{}', "
                         "which is declared outside the paths: a call "
                         "through it could not be awaited",
                         Fn.Name, Fn.OverridesOutside),
             Id);
  if (!Fn.Problem.empty())
    St.error(Fn.Loc,
             fmt::format("'{}' cannot become a coroutine: {}", Fn.Name,
                         Fn.Problem),
             Id);
  for (const DeclFact &D : Fn.Decls) {
    if (!D.Problem.empty())
      St.error(D.Loc,
               fmt::format("'{}' cannot become a coroutine: {}", Fn.Name,
                           D.Problem),
               Id);
    if (State.Facade && !D.FacadeProblem.empty())
      St.error(D.Loc,
               fmt::format("'{}' cannot keep a blocking facade: {}", Fn.Name,
                           D.FacadeProblem),
               Id);
  }
  if (State.Facade && Fn.IsOperator)
    St.error(Fn.Loc,
             fmt::format("operator '{}' reaches blocking I/O and is called "
                         "from synchronous code; an operator cannot keep a "
                         "blocking facade under another name",
                         Fn.Name),
             Id);
}

/// A thread that runs an async function but cannot become a spawn.
void checkSpawn(SolverState &St, const CallFact &Call) {
  if (St.S.isAsync(Call.Callee) && !Call.Problem.empty())
    St.error(Call.Loc,
             fmt::format("the thread started here runs '{}', which reaches "
                         "blocking I/O, but it cannot become a spawned "
                         "task: {}",
                         St.F.displayName(Call.Callee), Call.Problem),
             Call.Callee, Call.Caller);
}

/// A function stored as a callback type: its name must be renamable and
/// the type must be the paths' to become a task type.
void checkStoredAsCallback(SolverState &St, const CallFact &Call) {
  const Facts &F = St.F;
  if (!St.S.isAsync(Call.Callee))
    return;
  if (!Call.Problem.empty())
    St.error(Call.Loc,
             fmt::format("'{}' is stored as '{}' here, but the name cannot "
                         "be renamed: {}",
                         F.displayName(Call.Callee),
                         F.displayName(Call.CallbackType), Call.Problem),
             Call.Callee);
  const FunctionFact *Type = St.function(Call.CallbackType);
  if (!Type || !Type->Writable)
    St.error(Call.Loc,
             fmt::format("'{}' reaches blocking I/O and is stored as "
                         "callback type '{}', which is not declared under "
                         "the paths; add the file that declares it",
                         F.displayName(Call.Callee),
                         F.displayName(Call.CallbackType)),
             Call.Callee);
}

/// The address of an async function taken (not as a callback type): the
/// pointer keeps calling its blocking facade, which waits on the loop's
/// thread in async mode. A warning at each place, or a refusal under
/// `blocking_fallback: error`.
void addressFallback(SolverState &St, const CallFact &Call,
                     const std::string &Why) {
  Diagnostic D = St.fallback(
      Call.Loc,
      fmt::format("the address of '{}' is taken here, and it reaches "
                  "blocking I/O: calls through the pointer use its blocking "
                  "facade, which in async mode waits in a nested run of the "
                  "event loop{}",
                  St.F.displayName(Call.Callee), Why),
      Call.Callee);
  D.Notes = explainChain(St.F, St.S, Call.Callee);
  St.S.Diags.push_back(std::move(D));
}

/// An async function's address, closure or object, or a callback value,
/// going where its calls would not be awaited.
void checkEscape(SolverState &St, const CallFact &Call) {
  const Facts &F = St.F;
  if (isCallbackId(Call.Callee)) {
    St.error(Call.Loc,
             fmt::format("this value of callback type '{}' is passed on "
                         "where its calls would not be awaited (a thread, "
                         "an algorithm, another function type); only calls "
                         "through the callback type can be awaited",
                         F.displayName(Call.Callee)),
             Call.Callee);
    return;
  }
  const FunctionFact *Callee = St.function(Call.Callee);
  // Why the tool could not see where it goes (a template), if known.
  std::string Why = Call.Problem.empty() ? "" : " (" + Call.Problem + ")";
  if (Callee && isFunctionObject(*Callee))
    St.error(Call.Loc,
             fmt::format("an object of '{}' is passed on here, but its "
                         "operator() reaches blocking I/O: {}",
                         StringRef(Callee->Name).drop_back(12), Call.Problem),
             Call.Callee);
  else if (Callee && Callee->IsLambda)
    St.error(Call.Loc,
             fmt::format("the {} reaches blocking I/O, but its closure is "
                         "stored or passed on here: a call through it could "
                         "not be awaited{}",
                         Callee->Name, Why),
             Call.Callee);
  else
    addressFallback(St, Call, Why);
}

/// A call in a function that became async, reaching I/O, that cannot be
/// awaited where it is written.
void checkAwait(SolverState &St, const CallFact &Call) {
  const Solution &S = St.S;
  if (Call.Awaited || Call.BlockedOn || !S.isAsync(Call.Caller))
    return;
  const FunctionFact *Caller = St.function(Call.Caller);
  if (!Caller || Caller->IsCoroutine)
    return;
  if (!isLeafId(Call.Callee) && !S.isAsync(Call.Callee))
    return;
  std::string Callee = St.F.displayName(Call.Callee);
  if (Call.Kind == CallKind::Implicit)
    St.error(Call.Loc,
             fmt::format("implicit call of '{}' reaches blocking I/O; only a "
                         "call written in the source can be awaited",
                         Callee),
             Call.Callee, Call.Caller);
  else if (!Call.Problem.empty() && Call.Kind == CallKind::Join)
    St.error(Call.Loc,
             fmt::format("this join of a thread that runs '{}' cannot be "
                         "awaited: {}",
                         Callee, Call.Problem),
             Call.Callee, Call.Caller);
  else if (!Call.Problem.empty())
    St.error(Call.Loc,
             fmt::format("call of '{}' cannot be awaited: {}", Callee,
                         Call.Problem),
             Call.Callee, Call.Caller);
}

} // namespace

void checkRewritable(SolverState &St) {
  const Facts &F = St.F;
  for (const auto &[Id, State] : St.S.States) {
    const FunctionFact *Fn = St.function(Id);
    if (State.Async && Fn && !Fn->IsCoroutine)
      checkFunction(St, Id, State, *Fn);
  }
  // Synchronous code that waits on a coroutine in place.
  for (size_t I : St.S.BlockOnCalls)
    if (const CallFact &Call = F.Calls[I]; !Call.Problem.empty())
      St.error(Call.Loc,
               fmt::format("{} from synchronous code cannot wait on it: {}",
                           Call.Kind == CallKind::Join
                               ? fmt::format("this join of a thread that "
                                             "runs '{}'",
                                             F.displayName(Call.Callee))
                               : "the call of the " +
                                     F.displayName(Call.Callee),
                           Call.Problem),
               Call.Callee, Call.Caller);
  checkThreadContainers(St);
  for (const CallFact &Call : F.Calls) {
    if (Call.Kind == CallKind::Spawn) {
      checkSpawn(St, Call);
      continue;
    }
    if (Call.Kind == CallKind::AddressTaken && !Call.CallbackType.empty()) {
      checkStoredAsCallback(St, Call);
      continue;
    }
    if (Call.Kind == CallKind::AddressTaken) {
      if (St.S.isAsync(Call.Callee))
        checkEscape(St, Call);
      continue;
    }
    lockAcrossAwait(St, Call);
    checkAwait(St, Call);
  }
}

} // namespace vinyl::solver
