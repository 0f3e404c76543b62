//===- AutomaticFamilies.cpp - Callback families no rule named ------------===//
//
// A std::function alias declared under the paths, or a std::function type
// written inline in their declarations, forms a callback family without a
// callback_types rule, but only where converting it cannot break code the
// tool does not rewrite. Before solving, each such family is kept only if
// the tool saw every value stored in it come from the paths and none
// leave for code that would call it without awaiting, and no function
// code outside the paths may call takes or returns it. A family that
// fails is dissolved: the facts go back to what they would have been
// without it (its members' addresses escape and keep facades, calls
// through it are plain calls), and each member's address says why.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/solve/Solve.h"

#include "fmt/format.h"

#include <map>
#include <set>

namespace vinyl {
namespace {

std::string at(const Location &L) {
  return fmt::format("{}:{}:{}", L.File, L.Line, L.Column);
}

/// Why family \p Id cannot convert, or "".
std::string whyNot(const Facts &F, const Config &C, const std::string &Id,
                   const FunctionFact &Family,
                   const std::set<std::string> &CalledOutside) {
  if (!Family.Problem.empty())
    return Family.Problem;
  for (const CallFact &Call : F.Calls) {
    if (Call.Kind != CallKind::AddressTaken)
      continue;
    if (Call.Callee == Id)
      return Call.Problem.empty()
                 ? fmt::format("a value of it is passed on at {}, where its "
                               "calls would not be awaited",
                               at(Call.Loc))
                 : fmt::format("{} at {}", Call.Problem, at(Call.Loc));
    if (Call.CallbackType == Id && !Call.Problem.empty())
      return fmt::format("'{}' is stored as it at {}, but {}",
                         F.displayName(Call.Callee), at(Call.Loc),
                         Call.Problem);
  }
  for (const std::string &Owner : Family.SlotOwners) {
    auto It = F.Functions.find(Owner);
    if (It == F.Functions.end())
      continue;
    if (CalledOutside.count(Owner))
      return fmt::format("'{}' takes or returns it and is called by code "
                         "outside the paths, which would pass or get the "
                         "old type",
                         It->second.Name);
    if (It->second.ExternalApi && C.Facades == FacadePolicy::PublicApi)
      return fmt::format("'{}' takes or returns it and is public API, which "
                         "keeps its signature (`facades: {{ policy: callers }}` in "
                         ".vinyl.yaml lets it change)",
                         It->second.Name);
  }
  return "";
}

} // namespace

void settleAutomaticFamilies(Facts &F, const Config &C) {
  std::set<std::string> CalledOutside;
  for (const CallFact &Call : F.Calls) {
    auto Caller = F.Functions.find(Call.Caller);
    if (Caller == F.Functions.end() || !Caller->second.Writable)
      CalledOutside.insert(Call.Callee);
  }
  std::map<std::string, std::string> Dissolved;
  for (const auto &[Id, Fn] : F.Functions)
    if (Fn.AutoCallbackType)
      if (std::string Why = whyNot(F, C, Id, Fn, CalledOutside); !Why.empty())
        Dissolved[Id] = fmt::format("its type '{}' keeps its signature: {}",
                                    F.displayName(Id), Why);
  if (Dissolved.empty())
    return;
  std::vector<CallFact> Kept;
  Kept.reserve(F.Calls.size());
  for (CallFact &Call : F.Calls) {
    if (Dissolved.count(Call.Callee))
      continue;
    if (auto It = Dissolved.find(Call.CallbackType); It != Dissolved.end()) {
      Call.CallbackType.clear();
      Call.CalleeName = Anchor();
      if (Call.Problem.empty())
        Call.Problem = It->second;
    }
    Kept.push_back(std::move(Call));
  }
  F.Calls = std::move(Kept);
  for (const auto &[Id, Why] : Dissolved)
    F.Functions.erase(Id);
}

} // namespace vinyl
