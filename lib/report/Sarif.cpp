//===- Sarif.cpp - --sarif: the diagnostics for code-scanning dashboards ---===//
//
// SARIF 2.1.0: one rule per check id, one result per diagnostic, and the
// chain that explains it as the result's code flow.
//
//===----------------------------------------------------------------------===//
#include "ReportInternal.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <map>

using namespace llvm;

namespace vinyl {

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
      {"vinyl-blocking-fallback",
       "A function reaches blocking I/O but cannot be a coroutine: it stays "
       "synchronous, and in async mode waits in a nested run of the event "
       "loop."},
      {"vinyl-lock-across-await",
       "A lock is held across a co_await: on the event loop another task "
       "taking the mutex blocks the thread."},
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
  return report::writeFile(Path, [&](raw_ostream &OS) {
    OS << formatv("{0:2}", json::Value(std::move(Log))) << "\n";
  });
}

} // namespace vinyl
