//===- Facades.cpp - Which async functions keep their old signature -------===//
//
// A function that became async keeps its name and signature as a blocking
// facade when code that stays synchronous calls it, when C code may (C
// linkage), or, under the public-API policy, when a header declares it.
// A function whose address is taken keeps one too. Overrides share one
// name, so a family keeps facades together. Facades an
// earlier run wrote are found by their shape, so async code calls their
// coroutine instead.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include <deque>

using namespace llvm;

namespace vinyl::solver {

void decideFacades(SolverState &St) {
  const Facts &F = St.F;
  Solution &S = St.S;
  for (size_t I : St.SyncCalls) {
    const FunctionFact *Callee = St.function(F.Calls[I].Callee);
    // A lambda has no name to keep: its synchronous callers wait on it,
    // as they wait on a join of a thread that became a task and on a call
    // through a callback type.
    if ((Callee && Callee->IsLambda) || isCallbackId(F.Calls[I].Callee) ||
        F.Calls[I].Kind == CallKind::Join)
      S.BlockOnCalls.insert(I);
    else
      S.States[F.Calls[I].Callee].Facade = true;
  }
  // A function whose address is taken (not as a callback type) is called
  // through the pointer by code that does not await: the pointer keeps
  // pointing at the blocking facade.
  for (const CallFact &Call : F.Calls)
    if (Call.Kind == CallKind::AddressTaken && Call.CallbackType.empty() &&
        S.isAsync(Call.Callee))
      if (const FunctionFact *Fn = St.function(Call.Callee);
          Fn && !Fn->IsLambda && !isFunctionObject(*Fn))
        S.States[Call.Callee].Facade = true;
  for (auto &[Id, State] : S.States) {
    const FunctionFact *Fn = St.function(Id);
    // C code calls a C function; it cannot await. The C++ runtime calls
    // `main`, which becomes the facade over `main_async`.
    if (Fn && (Fn->IsExternC || Fn->IsMain))
      State.Facade = true;
    if (Fn && Fn->ExternalApi && St.C.Facades == FacadePolicy::PublicApi)
      State.Facade = true;
  }
  // Overrides share one name: all of them are renamed, or none.
  std::deque<std::string> Spread;
  for (auto &[Id, State] : S.States)
    if (State.Facade)
      Spread.push_back(Id);
  while (!Spread.empty()) {
    std::string Id = Spread.front();
    Spread.pop_front();
    for (const std::string &Member : St.FamilyOf[Id])
      if (FunctionState &State = S.States[Member];
          State.Async && !State.Facade) {
        State.Facade = true;
        Spread.push_back(Member);
      }
  }
  // A function that already is a coroutine has no old signature to keep.
  for (auto &[Id, State] : S.States)
    if (const FunctionFact *Fn = St.function(Id); Fn && Fn->IsCoroutine)
      State.Facade = false;
}

void findFacadeTwins(SolverState &St) {
  for (const CallFact &Call : St.F.Calls) {
    if (!Call.BlockedOn)
      continue;
    const FunctionFact *Facade = St.function(Call.Caller);
    const FunctionFact *Twin = St.function(Call.Callee);
    if (!Facade || !Twin || Facade->IsCoroutine || !Twin->IsCoroutine)
      continue;
    StringRef Name = Facade->Name, TwinName = Twin->Name;
    if (St.C.asyncName(Name.substr(Name.rfind(':') + 1)) ==
        TwinName.substr(TwinName.rfind(':') + 1))
      St.S.FacadeTwins[Facade->Id] = Twin->Id;
  }
}

std::map<std::string, size_t> functionsToPin(const SolverState &St) {
  constexpr size_t NoPinningCall = SolverState::NoPinningCall;
  const Facts &F = St.F;
  std::map<std::string, size_t> Out;
  // An operator that synchronous code calls cannot keep a facade under its
  // name (`++it` would call the coroutine).
  for (size_t I : St.SyncCalls)
    if (const FunctionFact *Fn = St.function(F.Calls[I].Callee);
        Fn && Fn->IsOperator && St.S.hasFacade(Fn->Id) &&
        !St.Pinned.count(Fn->Id))
      Out.emplace(Fn->Id, I);
  // An `auto` function no unit instantiates: its coroutine's type cannot
  // be written, and nothing calls it anyway.
  for (const auto &[Id, State] : St.S.States)
    if (const FunctionFact *Fn = St.function(Id);
        State.Async && Fn && !Fn->IsCoroutine && !St.Pinned.count(Id) &&
        llvm::any_of(Fn->Decls, [](const DeclFact &D) {
          return D.Problem == UnknownDeducedType ||
                 StringRef(D.Problem).starts_with(UnnameableDeducedType);
        }))
      Out.emplace(Id, NoPinningCall);
  // A facade would add an overload of a name that is taken: callers of
  // the function that has it could pick the coroutine.
  for (const auto &[Id, State] : St.S.States)
    if (const FunctionFact *Fn = St.function(Id);
        State.Async && Fn && !Fn->AsyncNameTaken.empty() &&
        St.S.hasFacade(Id) && !St.Pinned.count(Id))
      Out.emplace(Id, NoPinningCall);
  // A `main` whose coroutine cannot be written stays as it was.
  for (const auto &[Id, State] : St.S.States)
    if (const FunctionFact *Fn = St.function(Id);
        State.Async && Fn && Fn->IsMain && !St.Pinned.count(Id))
      if (std::optional<size_t> Pin = mainPin(St, *Fn))
        Out.emplace(Id, *Pin);
  // A range-for's calls for its iteration, and operator-> (`p->m`), are
  // never awaited.
  for (size_t I = 0; I < F.Calls.size(); ++I)
    if (const CallFact &Call = F.Calls[I];
        Call.Kind == CallKind::Implicit && !Call.Problem.empty() &&
        St.S.isAsync(Call.Callee) && !St.Pinned.count(Call.Callee))
      if (const FunctionFact *Fn = St.function(Call.Callee);
          Fn && !Fn->IsCoroutine)
        Out.emplace(Call.Callee, I);
  return Out;
}

} // namespace vinyl::solver
