//===- Explain.cpp - Why a function is async, as notes --------------------===//
//
// Every diagnostic of the solver and of --check, --explain, --graph and the
// facts file explain a colour the same way: one note per step, down to the
// I/O leaf, each step a call (or a join) or a family link.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

#include <set>

namespace vinyl {

FamilyKind familyKind(const Facts &F, const std::string &Id,
                      const std::string &Via) {
  if (isCallbackId(Id) || isCallbackId(Via))
    return FamilyKind::CallbackType;
  auto Overrides = [&](const std::string &A, const std::string &B) {
    auto It = F.Functions.find(A);
    return It != F.Functions.end() &&
           llvm::is_contained(It->second.Overrides, B);
  };
  if (Overrides(Id, Via) || Overrides(Via, Id))
    return FamilyKind::Override;
  auto Specializes = [&](const std::string &A, const std::string &B) {
    auto It = F.Functions.find(A);
    return It != F.Functions.end() && It->second.SpecializationOf == B;
  };
  if (Specializes(Id, Via) || Specializes(Via, Id))
    return FamilyKind::Specialization;
  return FamilyKind::TemplateCall;
}

std::string familyLink(const Facts &F, const std::string &Id,
                       const std::string &Via, bool Quote) {
  std::string Other = F.displayName(Via);
  if (Quote)
    Other = fmt::format("'{}'", Other);
  switch (familyKind(F, Id, Via)) {
  case FamilyKind::CallbackType:
    return isCallbackId(Via) ? "is stored as callback type " + Other
                             : "holds " + Other;
  case FamilyKind::Override:
    return "is in the override family of " + Other;
  case FamilyKind::Specialization:
    return "is an explicit specialisation, or the template, of " + Other;
  case FamilyKind::TemplateCall: {
    // Name the call that joins them.
    std::string At;
    for (const CallFact &C : F.Calls)
      if (C.Dependent && C.Callee == Id && At.empty())
        for (const CallFact &D : F.Calls)
          if (D.Dependent && D.Callee == Via && D.Caller == C.Caller &&
              D.Call == C.Call) {
            At = fmt::format(" (the call at {}:{})", C.Loc.File, C.Loc.Line);
            break;
          }
    return fmt::format("is called by the same template code as {}, in "
                       "another instantiation{}",
                       Other, At);
  }
  }
  llvm_unreachable("covered switch");
}

std::vector<Note> explainChain(const Facts &F, const Solution &S,
                               const std::string &Id) {
  std::vector<Note> Chain;
  std::set<std::string> Seen;
  std::string Current = Id;
  while (Seen.insert(Current).second) {
    auto It = S.States.find(Current);
    if (It == S.States.end())
      break;
    if (It->second.Reason < 0 && !It->second.Family.empty()) {
      const std::string &Other = It->second.Family;
      auto Fn = F.Functions.find(Current);
      Chain.push_back({Fn == F.Functions.end() ? Location() : Fn->second.Loc,
                       solver::familyNote(F, Current, Other)});
      Current = Other;
      continue;
    }
    if (int U = It->second.SyncUse; U >= 0) {
      const SyncUseFact &Use = F.SyncUses[U];
      auto O = F.SyncObjects.find(Use.Object);
      std::string Name = O == F.SyncObjects.end() ? Use.Object : O->second.Name;
      Chain.push_back(
          {Use.Loc,
           fmt::format("'{}' {} '{}' here, which becomes a vinyl::{}, and a "
                       "coroutine calls it",
                       F.displayName(Current),
                       Use.IsWait ? "waits on" : "locks", Name,
                       Use.IsWait ? "condition_variable" : "mutex")});
      break;
    }
    if (It->second.Reason < 0)
      break;
    const CallFact &C = F.Calls[It->second.Reason];
    Chain.push_back(solver::callNote(F, Current, C));
    if (isLeafId(C.Callee))
      break;
    Current = C.Callee;
  }
  return Chain;
}

namespace solver {

std::string familyNote(const Facts &F, const std::string &Id,
                       const std::string &Via) {
  return fmt::format("{}'{}' {}", isCallbackId(Id) ? "callback type " : "",
                     F.displayName(Id), familyLink(F, Id, Via));
}

Note callNote(const Facts &F, const std::string &Caller, const CallFact &C) {
  return {C.Loc,
          fmt::format("'{}' {} '{}' here", F.displayName(Caller),
                      C.Kind == CallKind::Join ? "joins a thread that runs"
                                               : "calls",
                      F.displayName(C.Callee))};
}

} // namespace solver
} // namespace vinyl
