//===- Twins.cpp - Which async functions keep a synchronous twin ----------===//
//
// Under `facades: twins: true` a converted function also keeps its body as
// it was, `R f(vinyl::twin_t, P...)`, and its facade runs that in blocking
// mode: the code there is then the original, with no coroutine frame per
// call. A twin is a copy of the text, so it is written only where a copy
// means the same code: a plain function or member (no virtual, operator,
// lambda or C linkage), with no static local the copy would not share, no
// coroutine lambda inside, and no call whose meaning changed in a way a
// twin cannot follow (a thread that became a task, an address stored as a
// callback type). Calls in the copy keep what they were, call the callee's
// twin, or wait on the coroutine in place (twinCall).
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

using namespace llvm;

namespace vinyl {

TwinCall twinCall(const Facts &F, const Solution &S, const CallFact &Call) {
  if (Call.Awaited || Call.BlockedOn || !Call.Problem.empty() ||
      Call.Kind == CallKind::BlockingWait ||
      Call.Kind == CallKind::AddressTaken || Call.Kind == CallKind::Spawn ||
      isLeafId(Call.Callee) || S.FacadeTwins.count(Call.Callee) ||
      !S.isAsync(Call.Callee))
    return TwinCall::AsWritten;
  auto Callee = F.Functions.find(Call.Callee);
  if (Callee == F.Functions.end())
    // Through a callback type, whose result is a task now.
    return isCallbackId(Call.Callee) ? TwinCall::Wait : TwinCall::AsWritten;
  if (Callee->second.IsCoroutine)
    return TwinCall::AsWritten;
  if (S.Twins.count(Call.Callee) && !Call.TwinTag.File.empty())
    return TwinCall::Twin;
  // The facade keeps the old name: the call as written waits already.
  if (S.hasFacade(Call.Callee))
    return TwinCall::AsWritten;
  return TwinCall::Wait;
}

namespace solver {

/// A std::function type written inline that becomes a task type (an
/// automatic callback family) at a place inside \p Fn's declarations or
/// body, or "".
static std::string inlineTaskTypeIn(const SolverState &St,
                                    const FunctionFact &Fn) {
  for (const std::string &Id : St.InlineFamilies) {
    const FunctionFact &Family = St.F.Functions.at(Id);
    if (!St.S.isAsync(Id))
      continue;
    for (const DeclFact &Place : Family.Decls)
      for (const DeclFact &D : Fn.Decls)
        if (Place.ReturnType.File == D.Whole.File &&
            Place.ReturnType.Offset >= D.Whole.Offset &&
            Place.ReturnType.Offset < D.Whole.Offset + D.Whole.Length)
          return Family.Name;
  }
  return "";
}

std::string whyNoTaggedCopy(const SolverState &St, const FunctionFact &Fn) {
  if (Fn.IsCoroutine || !Fn.Writable || !Fn.HasDefinition ||
      !Fn.Problem.empty() || St.S.Refused.count(Fn.Id))
    return "it is not rewritten";
  if (Fn.IsMain || Fn.IsConstructor || Fn.IsDestructor || Fn.IsConversion ||
      Fn.IsOperator)
    return "an operator, a constructor or 'main' takes no tag parameter";
  if (Fn.IsVirtual || !Fn.Overrides.empty() || !Fn.OverridesOutside.empty() ||
      Fn.IsOutsideOverride)
    return "it is virtual";
  if (Fn.IsLambda || Fn.IsCallbackType || isFunctionObject(Fn))
    return "it is a lambda or a function object";
  if (Fn.IsExternC)
    return "it has C linkage";
  if (!Fn.SpecializationOf.empty() || St.Specialized.count(Fn.Id))
    return "it is an explicit specialisation of a template, or a template "
           "with some";
  if (std::string Type = inlineTaskTypeIn(St, Fn); !Type.empty())
    return fmt::format("it writes '{}', which becomes a task type, and a "
                       "copy of its text would not",
                       Type);
  if (Fn.IsVariadic || Fn.IsConstexpr || Fn.IsConsteval)
    return "it is variadic or constexpr";
  if (Fn.StaticLocal.valid())
    return fmt::format("its static local at {}:{} would not be shared with "
                       "a copy",
                       Fn.StaticLocal.File, Fn.StaticLocal.Line);
  bool Defined = false;
  for (const DeclFact &D : Fn.Decls) {
    if (!D.Problem.empty() || !D.FacadeProblem.empty())
      return D.Problem.empty() ? D.FacadeProblem : D.Problem;
    if (!D.TwinProblem.empty())
      return D.TwinProblem;
    if (D.ParamsOpen.File.empty() || D.Whole.File.empty())
      return "its declaration cannot be copied";
    Defined |= D.IsDefinition;
  }
  if (!Defined)
    return "its definition is not under the paths";
  return "";
}

bool definedInside(const FunctionFact &Inner, const FunctionFact &Outer) {
  for (const DeclFact &O : Outer.Decls) {
    if (!O.IsDefinition)
      continue;
    for (const DeclFact &I : Inner.Decls)
      if (I.Whole.File == O.Whole.File && I.Whole.Offset >= Outer.BodyOpen &&
          I.Whole.Offset < O.BodyClose)
        return true;
  }
  return false;
}

void chooseTwins(SolverState &St) {
  const Facts &F = St.F;
  Solution &S = St.S;
  if (!St.C.Twins)
    return;
  for (const auto &[Id, State] : S.States) {
    const FunctionFact *Fn = St.function(Id);
    if (!State.Async || !Fn)
      continue;
    if (std::string Why = whyNoTaggedCopy(St, *Fn); !Why.empty())
      S.NoTwin[Id] = std::move(Why);
    else
      S.Twins.insert(Id);
  }
  // What inside the body a copy cannot follow.
  std::map<std::string, std::vector<const CallFact *>> CallsIn;
  for (const CallFact &Call : F.Calls)
    if (S.Twins.count(Call.Caller))
      CallsIn[Call.Caller].push_back(&Call);
  for (const auto &[Id, Fn] : F.Functions)
    if (!Id.empty() && S.isAsync(Id) && !Fn.IsCoroutine && Fn.IsLambda)
      for (const std::string &Outer : std::set<std::string>(S.Twins))
        if (definedInside(Fn, F.Functions.at(Outer))) {
          S.Twins.erase(Outer);
          S.NoTwin[Outer] = "a lambda inside it becomes a coroutine";
        }
  // A second overload would make `&f` (or `std::function<...> cb = f`)
  // ambiguous, and the callable a thread (or a spawn) is given: a template
  // cannot deduce from an overload set.
  for (const CallFact &Call : F.Calls) {
    if (Call.Kind == CallKind::AddressTaken && S.Twins.erase(Call.Callee))
      S.NoTwin[Call.Callee] = "its address is taken, which a second "
                              "overload would make ambiguous";
    if (Call.Kind == CallKind::Spawn && S.Twins.erase(Call.Callee))
      S.NoTwin[Call.Callee] = "a thread runs it, and a second overload "
                              "would make the callable it is given "
                              "ambiguous";
  }
  for (auto &[Id, Calls] : CallsIn)
    for (const CallFact *Call : Calls)
      if ((Call->Kind == CallKind::Spawn || Call->Kind == CallKind::Join ||
           (Call->Kind == CallKind::AddressTaken &&
            !Call->CallbackType.empty())) &&
          S.isAsync(Call->Callee) && S.Twins.erase(Id)) {
        S.NoTwin[Id] = Call->Kind == CallKind::AddressTaken
                           ? "it stores a coroutine as a callback"
                           : "a thread it starts becomes a task";
        break;
      }
  // One call of a template's text, in several instantiations, must come
  // out one way in the copy: each removal may change another's calls.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto &[Id, Calls] : CallsIn) {
      if (!S.Twins.count(Id))
        continue;
      std::map<Anchor, TwinCall> Seen;
      for (const CallFact *Call : Calls) {
        auto [It, New] = Seen.emplace(Call->Call, twinCall(F, S, *Call));
        if (New || It->second == twinCall(F, S, *Call))
          continue;
        S.Twins.erase(Id);
        S.NoTwin[Id] = "a call in its template resolves to functions with "
                       "and without twins";
        Changed = true;
        break;
      }
    }
    // A twin no facade runs and no other twin calls is dead code (and,
    // static, an unused function, which -Werror refuses).
    for (const std::string &Id : std::set<std::string>(S.Twins)) {
      if (S.hasFacade(Id))
        continue;
      bool Called = llvm::any_of(F.Calls, [&](const CallFact &Call) {
        return Call.Callee == Id && Call.Caller != Id &&
               S.Twins.count(Call.Caller) &&
               twinCall(F, S, Call) == TwinCall::Twin;
      });
      if (Called)
        continue;
      S.Twins.erase(Id);
      S.NoTwin[Id] = "no facade runs it and no other twin calls it";
      Changed = true;
    }
  }
}

} // namespace solver
} // namespace vinyl
