//===- Pipeline.h - A whole conversion as one library call ------*- C++ -*-===//
//
// The order of the phases, written once: configuration and compile
// database, extraction (or facts read back), solve, --check's findings, the
// reports, rewrite, verification, and the all-or-nothing write. The
// command line is options around runConversion(); the clang-tidy module
// loads its configuration with loadRunConfig(), as a run does; the unit
// tests run whole conversions through the same call.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_PIPELINE_PIPELINE_H
#define VINYL_ASYNCIFY_PIPELINE_PIPELINE_H

#include "vinyl-asyncify/apply/Apply.h"
#include "vinyl-asyncify/config/Config.h"
#include "vinyl-asyncify/config/Layout.h"
#include "vinyl-asyncify/facts/Diagnostics.h"
#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/solve/Solve.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace vinyl {

struct RunOptions {
  /// What may be rewritten; the first also anchors the searches for the
  /// compile database and .vinyl.yaml.
  std::vector<std::string> Paths;
  /// The directory of compile_commands.json; empty: searched upward.
  std::string BuildPath;
  /// Rules files read after the bundled rules and the project's config.
  std::vector<std::string> RulesFiles;
  /// Where the runtime headers and the bundled rules are.
  Layout Where;

  /// Report what is not at the fixpoint instead of converting.
  bool Check = false;
  /// Finish or undo what an interrupted run left, and stop.
  bool RecoverOnly = false;
  /// Print a unified diff instead of writing.
  bool Diff = false;
  /// Reports, each written when its file (or function) is named; any of
  /// them makes the run write no source.
  std::string Sarif, Explain, Graph, FactsOut, ExportFixes;
  /// Phase 1 alone: write the facts here and stop.
  std::string ExtractOnly;
  /// Only these TUs are parsed (however spelt); empty: all.
  std::vector<std::string> TUs;
  /// Phases 2 and 3 alone: facts read from these files, nothing parsed.
  std::vector<std::string> FactsIn;

  unsigned Jobs = 0; ///< TUs parsed at a time; 0: one per core.
  bool AllowBlockingConstructors = false;
  /// Do not parse the database's units outside the paths.
  bool SkipOutsideUnits = false;
  /// Print "[done/total] file" after each TU.
  bool ShowProgress = false;

  /// --explain and --diff go to Out; diagnostics, the compiler's messages,
  /// progress and "converted <file>" to Err.
  llvm::raw_ostream *Out = &llvm::outs();
  llvm::raw_ostream *Err = &llvm::errs();

  /// Whether this run writes sources: no report and no --diff asked for.
  bool writesSources() const;
  /// Whether it repairs what an interrupted run left: a run that may
  /// write, not one that only looks (--check, --extract-only).
  bool repairsLeftovers() const;
};

enum class RunStatus {
  Done,     ///< Converted (or analysed) as asked.
  Findings, ///< --check found something (diagnostics printed).
  Refused,  ///< Errors were reported; nothing was written.
};

struct RunResult {
  RunStatus Status = RunStatus::Done;
  Facts F;
  Solution S;
  /// Everything reported, sorted: the solver's and --check's.
  std::vector<Diagnostic> Diags;
  /// The new text of each file the conversion changes, when it got that
  /// far.
  std::vector<ChangedFile> Changed;
  /// The files in Changed were written.
  bool Written = false;
};

/// Runs the whole pipeline. An Error (bad input, a unit that does not
/// compile, a converted unit that does not verify, a failed write) means
/// nothing was written; its message is ready to print.
llvm::Expected<RunResult> runConversion(const RunOptions &Opts);

/// Where the rules of a run come from, in the order they are merged.
struct ConfigSources {
  std::string BundledRules; ///< The bundled posix.yaml.
  /// The nearest .vinyl.yaml at or above this directory is read next.
  std::string ProjectDir;
  std::vector<std::string> Extra; ///< --rules files, or the tidy option.
};
llvm::Expected<Config> loadRunConfig(const ConfigSources &Sources);

/// The compile database in \p BuildPath, or found upward from
/// \p FirstPath like clang-tidy finds it.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadDatabase(llvm::StringRef BuildPath, llvm::StringRef FirstPath);

} // namespace vinyl

#endif
