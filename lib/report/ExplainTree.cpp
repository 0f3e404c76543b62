//===- ExplainTree.cpp - --explain: every path down to the I/O leaves -----===//
//
// Why a function is async, as a tree of the calls (and family links) that
// lead from it to blocking I/O, each with its place.
//
//===----------------------------------------------------------------------===//
#include "ReportInternal.h"

#include "vinyl-asyncify/facts/Format.h"

#include <set>

using namespace llvm;

namespace vinyl {
namespace report {
namespace {

/// Prints the tree under one async function. A function already expanded
/// elsewhere in the tree is not expanded again (the tree would grow
/// exponentially on shared helpers); one on the current path is recursion.
class ExplainTree {
public:
  ExplainTree(raw_ostream &OS, const Facts &F, const Solution &S)
      : OS(OS), F(F), S(S), Calls(ioCallsByCaller(F, S)) {}

  void print(const FunctionFact &Fn) {
    unsigned Paths = countPaths(Fn.Id);
    OS << Fn.Name << " (" << where(Fn.definitionLoc()) << ") is async";
    if (S.hasFacade(Fn.Id))
      OS << ", with a blocking facade";
    if (S.Twins.count(Fn.Id))
      OS << ", with a synchronous twin";
    if (auto No = S.NoTwin.find(Fn.Id); No != S.NoTwin.end())
      OS << ", with no synchronous twin (" << No->second << ")";
    if (S.Resumes.count(Fn.Id))
      OS << ", split at its waits for a ready path";
    else if (S.FastPaths.count(Fn.Id))
      OS << ", split at its guard for a ready path";
    if (auto No = S.NoFastPath.find(Fn.Id); No != S.NoFastPath.end())
      OS << ", with no ready path (" << No->second << ")";
    OS << ": " << Paths << (Paths == 1 ? " path" : " paths")
       << " to blocking I/O\n";
    OnPath.insert(Fn.Id);
    children(Fn.Id, "");
  }

private:
  struct Child {
    std::string Label, Id;
  };

  std::vector<Child> childrenOf(const std::string &Id) {
    std::vector<Child> Out;
    auto It = Calls.find(Id);
    if (It != Calls.end()) {
      // One child per callee, with every place it is called from.
      std::map<std::string, size_t> ByCallee;
      for (size_t I : It->second) {
        const CallFact &C = F.Calls[I];
        auto [Slot, New] = ByCallee.try_emplace(C.Callee, Out.size());
        if (!New) {
          Out[Slot->second].Label += ", " + where(C.Loc);
          continue;
        }
        std::string Label =
            fmt::format("{} {} at {}",
                        C.Kind == CallKind::Join ? "joins a thread running"
                        : C.Awaited              ? "awaits"
                                                 : "calls",
                        F.displayName(C.Callee), where(C.Loc));
        Out.push_back({Label, isLeafId(C.Callee) ? "" : C.Callee});
      }
      for (Child &C : Out)
        if (C.Id.empty())
          C.Label += "  [I/O leaf]";
    }
    auto St = S.States.find(Id);
    // A wait on a mutex or condition variable that becomes a vinyl one.
    if (St != S.States.end() && St->second.SyncUse >= 0) {
      const SyncUseFact &U = F.SyncUses[St->second.SyncUse];
      auto O = F.SyncObjects.find(U.Object);
      Out.push_back(
          {fmt::format("{} {} at {}  [waits on a vinyl::{}]",
                       U.IsWait ? "waits on" : "locks",
                       O == F.SyncObjects.end() ? U.Object : O->second.Name,
                       where(U.Loc), U.IsWait ? "condition_variable" : "mutex"),
           ""});
    }
    if (St != S.States.end() && !St->second.Family.empty()) {
      const std::string &Other = St->second.Family;
      Out.push_back({familyLink(F, Id, Other, /*Quote=*/false), Other});
    }
    return Out;
  }

  void children(const std::string &Id, const std::string &Indent) {
    std::vector<Child> Kids = childrenOf(Id);
    for (size_t K = 0; K < Kids.size(); ++K) {
      bool Last = K + 1 == Kids.size();
      OS << Indent << (Last ? "`- " : "|- ") << Kids[K].Label;
      const std::string &Next = Kids[K].Id;
      if (Next.empty()) {
        OS << "\n";
        continue;
      }
      if (OnPath.count(Next)) {
        OS << "  (recursion)\n";
        continue;
      }
      if (!Expanded.insert(Next).second) {
        OS << "  (shown above)\n";
        continue;
      }
      OS << "\n";
      OnPath.insert(Next);
      children(Next, Indent + (Last ? "   " : "|  "));
      OnPath.erase(Next);
    }
  }

  /// Distinct call paths down to a leaf, cycles cut.
  unsigned countPaths(const std::string &Id) {
    std::set<std::string> Path;
    return countFrom(Id, Path);
  }
  unsigned countFrom(const std::string &Id, std::set<std::string> &Path) {
    if (!Path.insert(Id).second)
      return 0;
    unsigned N = 0;
    for (const Child &C : childrenOf(Id))
      N += C.Id.empty() ? 1 : countFrom(C.Id, Path);
    Path.erase(Id);
    return N;
  }

  raw_ostream &OS;
  const Facts &F;
  const Solution &S;
  std::map<std::string, std::vector<size_t>> Calls;
  std::set<std::string> OnPath, Expanded;
};

} // namespace
} // namespace report

Error explain(raw_ostream &OS, const Facts &F, const Solution &S,
              StringRef Name) {
  std::vector<const FunctionFact *> Matches;
  for (const auto &[Id, Fn] : F.Functions) {
    StringRef Full = Fn.Name;
    StringRef Short = Full.substr(Full.rfind(':') + 1);
    if (Full == Name || (!Name.contains("::") && Short == Name))
      Matches.push_back(&Fn);
  }
  if (Matches.empty())
    return createStringError(inconvertibleErrorCode(),
                             "error: no function named '%s' under the paths",
                             Name.str().c_str());
  for (const FunctionFact *Fn : Matches) {
    if (Fn != Matches.front())
      OS << "\n";
    if (!S.isAsync(Fn->Id)) {
      // One that reaches I/O but cannot be a coroutine has its warning.
      bool FellBack = llvm::any_of(S.Diags, [&](const Diagnostic &D) {
        return D.Check == "vinyl-blocking-fallback" && D.Loc == Fn->Loc;
      });
      OS << Fn->Name << " (" << report::where(Fn->definitionLoc())
         << ") is not async: "
         << (FellBack ? "it reaches blocking I/O but stays synchronous "
                        "(see the warning)"
                      : "it reaches no blocking I/O")
         << "\n";
      continue;
    }
    report::ExplainTree(OS, F, S).print(*Fn);
  }
  return Error::success();
}

} // namespace vinyl
