//===- Facts.cpp - Merging facts from many translation units --------------===//
#include "vinyl-asyncify/facts/Facts.h"

#include <algorithm>
#include <iterator>

#include "llvm/ADT/STLExtras.h"
#include <map>
#include <set>
#include <tuple>

namespace vinyl {

template <typename T, typename KeyFn>
static void appendUnique(std::vector<T> &Into, std::vector<T> &&From,
                         KeyFn Key) {
  using K = decltype(Key(From.front()));
  std::set<K> Seen;
  for (const T &X : Into)
    Seen.insert(Key(X));
  for (T &X : From)
    if (Seen.insert(Key(X)).second)
      Into.push_back(std::move(X));
}

Location FunctionFact::definitionLoc() const {
  for (const DeclFact &D : Decls)
    if (D.IsDefinition)
      return D.Loc;
  return Loc;
}

bool Facts::hasSpecializations(llvm::StringRef Id) const {
  return llvm::any_of(Functions, [&](const auto &Entry) {
    return Entry.second.SpecializationOf == Id;
  });
}

std::string Facts::displayName(llvm::StringRef Id) const {
  if (isLeafId(Id))
    return Id.drop_front(5).str();
  auto It = Functions.find(Id.str());
  // A callback type written inline is named as written; an alias outside
  // the paths has no fact.
  if (isCallbackId(Id))
    return It != Functions.end() && !It->second.Name.empty()
               ? It->second.Name
               : Id.drop_front(9).str();
  return It == Functions.end() ? Id.str() : It->second.Name;
}

/// Where a declaration or call is, for telling the same one seen by two TUs
/// from two different ones. Its anchor names the file by its real path;
/// the location by the spelling the TU used (`api.h` next to the includer,
/// `/src/api.h` through -I), which differs between TUs.
static std::tuple<std::string, unsigned, unsigned> placeOf(const Location &Loc,
                                                           const Anchor &A) {
  if (!A.File.empty())
    return {A.File, A.Offset, A.Length};
  return {Loc.File, Loc.Line, Loc.Column};
}

/// The declarations another unit saw too: a unit that instantiates a
/// template knows the `auto` result type that one which only declares it
/// does not, and two units that deduce different types are a problem.
static void mergeDecls(std::vector<DeclFact> &Into,
                       std::vector<DeclFact> &&From) {
  for (DeclFact &D : From) {
    auto Same = llvm::find_if(Into, [&](const DeclFact &E) {
      return placeOf(E.Loc, E.Whole) == placeOf(D.Loc, D.Whole);
    });
    if (Same == Into.end()) {
      Into.push_back(std::move(D));
      continue;
    }
    if (Same->Result.empty() && !Same->Problem.empty() && !D.Result.empty() &&
        D.Problem.empty())
      *Same = std::move(D);
    else if (!Same->Result.empty() && !D.Result.empty() &&
             Same->Result != D.Result && Same->Problem.empty())
      Same->Problem = "its deduced return type differs between translation "
                      "units ('" +
                      Same->Result + "', '" + D.Result + "')";
  }
}

void Facts::merge(Facts &&Other) {
  for (auto &[Id, F] : Other.Functions) {
    auto [It, New] = Functions.try_emplace(Id, std::move(F));
    if (New)
      continue;
    FunctionFact &Into = It->second;
    // Code is unseen only where every unit with the definition skipped it.
    if (F.HasDefinition && !Into.HasDefinition) {
      Into.InactiveCode = F.InactiveCode;
      Into.InactiveLines = F.InactiveLines;
    } else if (F.HasDefinition) {
      std::vector<unsigned> Both;
      std::set_intersection(Into.InactiveLines.begin(),
                            Into.InactiveLines.end(), F.InactiveLines.begin(),
                            F.InactiveLines.end(), std::back_inserter(Both));
      Into.InactiveLines = std::move(Both);
      if (Into.InactiveLines.empty())
        Into.InactiveCode = Location();
      else
        Into.InactiveCode.Line = Into.InactiveLines.front(),
        Into.InactiveCode.Column = 1;
    }
    Into.Writable |= F.Writable;
    Into.HasDefinition |= F.HasDefinition;
    Into.IsCoroutine |= F.IsCoroutine;
    Into.ExternalApi |= F.ExternalApi;
    Into.DeclaredOutside |= F.DeclaredOutside;
    Into.HasLocals |= F.HasLocals;
    Into.SometimesInactive |= F.SometimesInactive;
    if (!Into.StaticLocal.valid())
      Into.StaticLocal = F.StaticLocal;
    Into.IsCallbackType |= F.IsCallbackType;
    Into.AutoCallbackType |= F.AutoCallbackType;
    Into.WrittenInline |= F.WrittenInline;
    appendUnique(Into.SlotOwners, std::move(F.SlotOwners),
                 [](const std::string &S) { return S; });
    Into.IsOutsideOverride |= F.IsOutsideOverride;
    if (F.HasDefinition)
      Into.BodyOpen = F.BodyOpen;
    if (F.HasDefinition && Into.FastPath.Cold.File.empty() &&
        Into.FastPath.Problem.empty())
      Into.FastPath = std::move(F.FastPath);
    if (Into.Problem.empty())
      Into.Problem = std::move(F.Problem);
    if (Into.OverridesOutside.empty())
      Into.OverridesOutside = std::move(F.OverridesOutside);
    if (Into.SpecializationOf.empty())
      Into.SpecializationOf = std::move(F.SpecializationOf);
    appendUnique(Into.Overrides, std::move(F.Overrides),
                 [](const std::string &S) { return S; });
    mergeDecls(Into.Decls, std::move(F.Decls));
    appendUnique(Into.Returns, std::move(F.Returns),
                 [](const Anchor &A) { return A; });
    appendUnique(Into.Usings, std::move(F.Usings),
                 [](const Anchor &A) { return A; });
  }
  // One call of a header, seen by several units. A unit may see less of
  // it (a template's call inside block_on, recorded by one instantiation
  // as the wait's argument and by another not): what one saw holds.
  {
    auto Key = [](const CallFact &C) {
      return std::tuple_cat(placeOf(C.Loc, C.Call), std::make_tuple(C.Callee));
    };
    std::map<decltype(Key(std::declval<CallFact>())), size_t> Seen;
    for (size_t I = 0; I < Calls.size(); ++I)
      Seen.emplace(Key(Calls[I]), I);
    for (CallFact &C : Other.Calls) {
      auto [It, New] = Seen.emplace(Key(C), Calls.size());
      if (New) {
        Calls.push_back(std::move(C));
        continue;
      }
      CallFact &Into = Calls[It->second];
      Into.BlockedOn |= C.BlockedOn;
      Into.Awaited |= C.Awaited;
    }
  }
  for (auto &[Id, O] : Other.SyncObjects) {
    auto [It, New] = SyncObjects.try_emplace(Id, O);
    if (!New && It->second.Problem.empty() && !O.Problem.empty()) {
      It->second.Problem = std::move(O.Problem);
      It->second.ProblemLoc = O.ProblemLoc;
    }
  }
  appendUnique(SyncUses, std::move(Other.SyncUses), [](const SyncUseFact &U) {
    return std::make_tuple(U.Loc.File, U.Loc.Line, U.Loc.Column, U.Object);
  });
  appendUnique(Findings, std::move(Other.Findings), [](const Finding &D) {
    return std::make_tuple(D.Loc.File, D.Loc.Line, D.Loc.Column, D.Message);
  });
  appendUnique(LeavesSeen, std::move(Other.LeavesSeen),
               [](const std::string &S) { return S; });
  for (auto &[TU, Files] : Other.FilesOfTU)
    FilesOfTU[TU] = std::move(Files);
}

} // namespace vinyl
