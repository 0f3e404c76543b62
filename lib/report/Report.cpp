//===- Report.cpp - Explanations and files for people and dashboards ------===//
#include "vinyl-asyncify/report/Report.h"


#include "clang/Tooling/ReplacementsYaml.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/YAMLTraits.h"

#include <map>
#include <set>

using namespace llvm;

namespace vinyl {

namespace {

std::string where(const Location &L) {
  if (!L.valid())
    return "";
  return L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
}

/// The calls out of each function that carry I/O: to a leaf or to an
/// async function, not a blocking wait and not an address.
std::map<std::string, std::vector<size_t>> ioCallsByCaller(const Facts &F,
                                                            const Solution &S) {
  std::map<std::string, std::vector<size_t>> Out;
  for (size_t I = 0; I < F.Calls.size(); ++I) {
    const CallFact &C = F.Calls[I];
    if (C.BlockedOn || C.Kind == CallKind::AddressTaken ||
        C.Kind == CallKind::BlockingWait || C.Kind == CallKind::Spawn)
      continue;
    if (isLeafId(C.Callee) || S.isAsync(C.Callee))
      Out[C.Caller].push_back(I);
  }
  return Out;
}

Error writeFile(StringRef Path, function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "%s: error: cannot write: %s",
                             Path.str().c_str(), EC.message().c_str());
  Write(OS);
  OS.close();
  if (OS.has_error()) {
    EC = OS.error();
    OS.clear_error();
    return createStringError(EC, "%s: error: cannot write: %s",
                             Path.str().c_str(), EC.message().c_str());
  }
  return Error::success();
}

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
        std::string Label = (C.Kind == CallKind::Join ? "joins a thread running "
                             : C.Awaited                ? "awaits "
                                                        : "calls ") +
                            F.displayName(C.Callee) + " at " + where(C.Loc);
        Out.push_back({Label, isLeafId(C.Callee) ? "" : C.Callee});
      }
      for (Child &C : Out)
        if (C.Id.empty())
          C.Label += "  [I/O leaf]";
    }
    auto St = S.States.find(Id);
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

std::string dotEscape(StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out;
}

} // namespace

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
      OS << Fn->Name << " (" << where(Fn->definitionLoc())
         << ") is not async: it reaches no blocking I/O\n";
      continue;
    }
    ExplainTree(OS, F, S).print(*Fn);
  }
  return Error::success();
}

void printGraph(raw_ostream &OS, const Facts &F, const Solution &S) {
  auto Calls = ioCallsByCaller(F, S);
  // Every function on an edge, and every refused one.
  std::set<std::string> Nodes(S.Refused.begin(), S.Refused.end());
  for (const auto &[Caller, Indices] : Calls)
    for (size_t I : Indices) {
      if (F.Functions.count(Caller))
        Nodes.insert(Caller);
      Nodes.insert(F.Calls[I].Callee);
    }
  // An override async only through its family has no I/O edge of its own.
  for (const auto &[Id, St] : S.States)
    if (!St.Family.empty()) {
      Nodes.insert(Id);
      Nodes.insert(St.Family);
    }
  OS << "// The call graph of vinyl-asyncify's solution: what reaches "
        "blocking I/O.\n"
     << "digraph vinyl {\n"
     << "  rankdir=BT;\n"
     << "  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n"
     << "  edge [color=\"#555555\", fontname=\"Helvetica\"];\n";
  // A legend, so the picture explains itself.
  OS << "  subgraph cluster_legend {\n"
     << "    label=\"legend\"; fontname=\"Helvetica\"; color=\"#bbbbbb\";\n"
     << "    legend_leaf [label=\"blocking I/O leaf\", shape=box, "
        "fillcolor=\"#f4b6b6\"];\n"
     << "    legend_async [label=\"async (coroutine)\", shape=ellipse, "
        "fillcolor=\"#b6d4f4\"];\n"
     << "    legend_facade [label=\"async + blocking facade\", shape=ellipse, "
        "peripheries=2, fillcolor=\"#b6f4c4\"];\n"
     << "    legend_sync [label=\"stays synchronous\", shape=ellipse, "
        "fillcolor=\"#eeeeee\"];\n"
     << "    legend_refused [label=\"cannot be converted\", shape=octagon, "
        "fillcolor=\"#ff8080\"];\n"
     << "  }\n";
  std::map<std::string, unsigned> Number;
  for (const std::string &Id : Nodes) {
    unsigned N = Number.size();
    Number[Id] = N;
    std::string Attrs;
    if (isLeafId(Id))
      Attrs = "shape=box, fillcolor=\"#f4b6b6\"";
    else if (S.Refused.count(Id))
      Attrs = "shape=octagon, fillcolor=\"#ff8080\"";
    else if (S.hasFacade(Id))
      Attrs = "shape=ellipse, peripheries=2, fillcolor=\"#b6f4c4\"";
    else if (S.isAsync(Id))
      Attrs = "shape=ellipse, fillcolor=\"#b6d4f4\"";
    else
      Attrs = "shape=ellipse, fillcolor=\"#eeeeee\"";
    OS << "  n" << N << " [label=\"" << dotEscape(F.displayName(Id)) << "\", "
       << Attrs << "];\n";
  }
  std::set<std::pair<unsigned, unsigned>> Edges;
  for (const auto &[Caller, Indices] : Calls) {
    auto From = Number.find(Caller);
    if (From == Number.end())
      continue;
    for (size_t I : Indices)
      if (Edges.insert({From->second, Number[F.Calls[I].Callee]}).second)
        OS << "  n" << From->second << " -> n" << Number[F.Calls[I].Callee]
           << ";\n";
  }
  for (const auto &[Id, St] : S.States) {
    if (St.Family.empty() || !Number.count(Id) || !Number.count(St.Family))
      continue;
    static constexpr const char *Labels[] = {"override family",
                                             "callback type", "template call"};
    OS << "  n" << Number[Id] << " -> n" << Number[St.Family]
       << " [style=dashed, label=\""
       << Labels[static_cast<int>(familyKind(F, Id, St.Family))]
       << "\", fontsize=9];\n";
  }
  OS << "}\n";
}

Error writeGraph(StringRef Path, const Facts &F, const Solution &S) {
  if (!Path.ends_with(".svg"))
    return writeFile(Path, [&](raw_ostream &OS) { printGraph(OS, F, S); });
  ErrorOr<std::string> Dot = sys::findProgramByName("dot");
  if (!Dot)
    return createStringError(
        inconvertibleErrorCode(),
        "%s: error: rendering SVG needs Graphviz's 'dot', which is not on "
        "PATH; write a .dot file instead",
        Path.str().c_str());
  SmallString<128> DotFile;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("vinyl-graph", "dot", DotFile))
    return createStringError(EC, "error: cannot create a temporary file: %s",
                             EC.message().c_str());
  scope_exit Remove([&] { sys::fs::remove(DotFile); });
  if (Error E = writeFile(DotFile, [&](raw_ostream &OS) {
        printGraph(OS, F, S);
      }))
    return E;
  std::string Out = ("-o" + Path).str();
  StringRef Args[] = {*Dot, "-Tsvg", Out, DotFile};
  std::string Message;
  if (sys::ExecuteAndWait(*Dot, Args, std::nullopt, {}, 0, 0, &Message) != 0)
    return createStringError(inconvertibleErrorCode(),
                             "%s: error: 'dot' failed to render the graph%s%s",
                             Path.str().c_str(), Message.empty() ? "" : ": ",
                             Message.c_str());
  return Error::success();
}

Error writeSarif(StringRef Path, ArrayRef<Diagnostic> Diags) {
  auto PhysicalLocation = [](const Location &L) {
    // A URI reference: reserved characters and spaces percent-encoded.
    std::string Uri = sys::path::is_absolute(L.File) ? "file://" : "";
    for (unsigned char C : L.File) {
      if (isAlnum(C) || StringRef("-._~/").contains(C))
        Uri += C;
      else
        Uri += "%" + utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
    }
    return json::Object{
        {"artifactLocation", json::Object{{"uri", Uri}}},
        {"region", json::Object{{"startLine", L.Line},
                                {"startColumn", L.Column}}}};
  };
  // One rule per check id, in order of first appearance.
  std::vector<std::string> RuleIds;
  std::map<std::string, size_t> RuleIndex;
  for (const Diagnostic &D : Diags)
    if (RuleIndex.try_emplace(D.Check, RuleIds.size()).second)
      RuleIds.push_back(D.Check);
  static const std::map<std::string, std::string> Descriptions = {
      {"vinyl-needs-async", "A synchronous function reaches blocking I/O: "
                            "the code is not at the conversion's fixpoint."},
      {"vinyl-unawaited-task", "A task is dropped or stored and never "
                               "awaited; tasks are lazy, so it never runs."},
      {"vinyl-blocking-call-in-coroutine",
       "A blocking I/O call inside a coroutine stalls the event loop."},
      {"vinyl-blocking-wait-in-coroutine",
       "block_on or a blocking facade inside a coroutine stalls the event "
       "loop."},
      {"vinyl-thread-needs-spawn",
       "A thread runs a function that reaches blocking I/O; converting "
       "makes it a spawned task."},
      {"vinyl-cannot-convert",
       "A function reaches blocking I/O but cannot become a coroutine."},
  };
  json::Array Rules;
  for (const std::string &Id : RuleIds) {
    json::Object Rule{{"id", Id}};
    if (auto It = Descriptions.find(Id); It != Descriptions.end())
      Rule["shortDescription"] = json::Object{{"text", It->second}};
    Rules.push_back(std::move(Rule));
  }
  json::Array Results;
  for (const Diagnostic &D : Diags) {
    json::Object Result{
        {"ruleId", D.Check},
        {"ruleIndex", RuleIndex[D.Check]},
        {"level", D.Severity == Diagnostic::Error ? "error" : "warning"},
        {"message", json::Object{{"text", D.Message}}},
    };
    if (D.Loc.valid())
      Result["locations"] = json::Array{
          json::Object{{"physicalLocation", PhysicalLocation(D.Loc)}}};
    if (!D.Notes.empty()) {
      json::Array Steps, Related;
      for (const Note &N : D.Notes) {
        if (!N.Loc.valid())
          continue;
        json::Object Step{{"physicalLocation", PhysicalLocation(N.Loc)},
                          {"message", json::Object{{"text", N.Message}}}};
        Related.push_back(json::Object(Step));
        Steps.push_back(json::Object{{"location", std::move(Step)}});
      }
      Result["relatedLocations"] = std::move(Related);
      Result["codeFlows"] = json::Array{json::Object{
          {"message", json::Object{{"text", "the calls that lead to "
                                            "blocking I/O"}}},
          {"threadFlows",
           json::Array{json::Object{{"locations", std::move(Steps)}}}}}};
    }
    Results.push_back(std::move(Result));
  }
  json::Object Log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::Array{json::Object{
           {"tool",
            json::Object{{"driver",
                          json::Object{{"name", "vinyl-asyncify"},
                                       {"version", VINYL_VERSION},
                                       {"rules", std::move(Rules)}}}}},
           {"results", std::move(Results)}}}}};
  return writeFile(Path, [&](raw_ostream &OS) {
    OS << formatv("{0:2}", json::Value(std::move(Log))) << "\n";
  });
}

Error exportFixes(StringRef Path, ArrayRef<ChangedFile> Files) {
  clang::tooling::TranslationUnitReplacements TU;
  for (const ChangedFile &C : Files)
    append_range(TU.Replacements, replacementsOf(C));
  return writeFile(Path, [&](raw_ostream &OS) {
    yaml::Output YAML(OS);
    YAML << TU;
  });
}

} // namespace vinyl
