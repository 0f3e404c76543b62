//===- Graph.cpp - --graph: the coloured call graph in DOT or SVG ---------===//
//
// Leaves, async functions, facades, synchronous callers and refusals drawn
// apart, with a legend; SVG is rendered by Graphviz's `dot`.
//
//===----------------------------------------------------------------------===//
#include "ReportInternal.h"

#include "vinyl-asyncify/facts/Format.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <set>

using namespace llvm;

namespace vinyl {
namespace {

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

void printGraph(raw_ostream &OS, const Facts &F, const Solution &S) {
  auto Calls = report::ioCallsByCaller(F, S);
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
    OS << fmt::format("  n{} [label=\"{}\", {}];\n", N,
                      dotEscape(F.displayName(Id)), Attrs);
  }
  std::set<std::pair<unsigned, unsigned>> Edges;
  for (const auto &[Caller, Indices] : Calls) {
    auto From = Number.find(Caller);
    if (From == Number.end())
      continue;
    for (size_t I : Indices)
      if (Edges.insert({From->second, Number[F.Calls[I].Callee]}).second)
        OS << fmt::format("  n{} -> n{};\n", From->second,
                          Number[F.Calls[I].Callee]);
  }
  for (const auto &[Id, St] : S.States) {
    if (St.Family.empty() || !Number.count(Id) || !Number.count(St.Family))
      continue;
    static constexpr const char *Labels[] = {"override family",
                                             "callback type", "template call"};
    OS << fmt::format("  n{} -> n{} [style=dashed, label=\"{}\", "
                      "fontsize=9];\n",
                      Number[Id], Number[St.Family],
                      Labels[static_cast<int>(familyKind(F, Id, St.Family))]);
  }
  OS << "}\n";
}

Error writeGraph(StringRef Path, const Facts &F, const Solution &S) {
  if (!Path.ends_with(".svg"))
    return report::writeFile(Path, [&](raw_ostream &OS) { printGraph(OS, F, S); });
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
  if (Error E = report::writeFile(DotFile, [&](raw_ostream &OS) {
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

} // namespace vinyl
