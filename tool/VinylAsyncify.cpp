//===- VinylAsyncify.cpp - The vinyl-asyncify command line ----------------===//
//
// Only options live here: they fill a RunOptions, and the library's
// runConversion() runs the pipeline (vinyl-asyncify/pipeline/Pipeline.h).
//
// Only a plain run writes sources; --check, --diff, --explain, --graph,
// --sarif, --facts-out and --export-fixes analyse and report.
//
// Exit codes: 0 done (or, with --check, nothing found), 1 --check found
// something, 2 errors (and then nothing was written).
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/config/Layout.h"
#include "vinyl-asyncify/pipeline/Pipeline.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory Category("vinyl-asyncify options");

static cl::list<std::string> Paths(cl::Positional, cl::desc("<path>..."),
                                   cl::cat(Category));
static cl::opt<std::string>
    BuildPath("p", cl::desc("Directory holding compile_commands.json "
                            "(default: searched upward from the first path)"),
              cl::value_desc("dir"), cl::cat(Category));
static cl::list<std::string>
    RulesFiles("rules", cl::desc("Extra rules file (repeatable)"),
               cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool>
    Check("check",
          cl::desc("CI gate: report code that is not at the fixpoint or "
                   "misuses coroutines; exit 1 if anything is found"),
          cl::cat(Category));
static cl::opt<bool> Recover(
    "recover",
    cl::desc("Only finish or undo what an interrupted conversion left "
             "(every run that writes does this first), then stop"),
    cl::cat(Category));
static cl::opt<std::string>
    Sarif("sarif", cl::desc("Write the diagnostics as SARIF 2.1.0"),
          cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    Explain("explain",
            cl::desc("Print why a function is async: every call path down "
                     "to the I/O leaves, as a tree"),
            cl::value_desc("function"), cl::cat(Category));
static cl::opt<std::string>
    Graph("graph",
          cl::desc("Write the coloured call graph (DOT; SVG if the name ends "
                   "in .svg, rendered by Graphviz)"),
          cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    FactsOut("facts-out",
             cl::desc("Write the whole-program verdicts (which functions "
                      "are async, and why) for the clang-tidy module's "
                      "FactsFile option"),
             cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> ExtractOnly(
    "extract-only",
    cl::desc("Phase 1 alone: parse the translation units, write their facts "
             "to <file>, convert nothing (combine with --tu to split the "
             "work across jobs)"),
    cl::value_desc("file"), cl::cat(Category));
static cl::list<std::string>
    TUs("tu",
        cl::desc("With --extract-only: parse only this translation unit "
                 "(repeatable); the paths still say what may be rewritten"),
        cl::value_desc("file"), cl::cat(Category));
static cl::list<std::string> FactsIn(
    "facts",
    cl::desc("Phases 2 and 3 alone: read facts written by --extract-only "
             "(repeatable) instead of parsing, then solve, rewrite, verify "
             "and write as usual"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    ExportFixes("export-fixes",
                cl::desc("Write the edits as clang-apply-replacements YAML"),
                cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool> Diff("diff",
                          cl::desc("Print a unified diff; write nothing"),
                          cl::cat(Category));
static cl::opt<unsigned>
    Jobs("j", cl::desc("Translation units parsed in parallel (0: all cores)"),
         cl::init(0), cl::Prefix, cl::cat(Category));
static cl::opt<bool> AllowBlockingConstructors(
    "allow-blocking-constructors",
    cl::desc("Let constructors and destructors that reach I/O stay "
             "synchronous, calling blocking facades, even under "
             "'blocking_fallback: error' (the default falls back)"),
    cl::cat(Category));
static cl::opt<bool> SkipOutsideUnits(
    "skip-outside-units",
    cl::desc("Do not parse the compile database's units outside the paths "
             "(faster; what they call is then not known to need a facade)"),
    cl::cat(Category));
static cl::opt<bool> PrintRuntimeFlags(
    "print-runtime-flags",
    cl::desc("Print the compile and link flags a converted program needs"),
    cl::cat(Category));

static const char Overview[] = R"(
Converts a synchronous C++ codebase to C++20 coroutines: every function that
reaches a blocking I/O leaf (named in the rules) becomes a vinyl::task
coroutine, and entry points keep their old names as blocking facades.

Every translation unit of the compile database under the paths is analysed;
files under the paths (sources and headers) are rewritten in place, all of
them or none.
)";

namespace {
constexpr int ExitOk = 0, ExitWork = 1, ExitError = 2;

int fail(Error E) {
  handleAllErrors(std::move(E), [](const ErrorInfoBase &Info) {
    errs() << Info.message() << "\n";
  });
  return ExitError;
}

vinyl::RunOptions runOptions(const vinyl::Layout &L) {
  vinyl::RunOptions R;
  R.Paths = Paths;
  R.BuildPath = BuildPath;
  R.RulesFiles = RulesFiles;
  R.Where = L;
  R.Check = Check;
  R.RecoverOnly = Recover;
  R.Diff = Diff;
  R.Sarif = Sarif;
  R.Explain = Explain;
  R.Graph = Graph;
  R.FactsOut = FactsOut;
  R.ExportFixes = ExportFixes;
  R.ExtractOnly = ExtractOnly;
  R.TUs = TUs;
  R.FactsIn = FactsIn;
  R.Jobs = Jobs;
  R.AllowBlockingConstructors = AllowBlockingConstructors;
  R.SkipOutsideUnits = SkipOutsideUnits;
  R.ShowProgress = sys::Process::StandardErrIsDisplayed();
  return R;
}
} // namespace

int main(int argc, const char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(
      [](raw_ostream &OS) { OS << vinyl::versionString() << "\n"; });
  // Bad usage is an error like any other: exit 2, not cl's default 1,
  // which --check reserves for "work found".
  if (!cl::ParseCommandLineOptions(argc, argv, Overview, &errs()))
    return ExitError;

  static int Anchor;
  auto Layout =
      vinyl::findLayout(sys::fs::getMainExecutable(argv[0], &Anchor));
  if (!Layout)
    return fail(Layout.takeError());
  if (PrintRuntimeFlags) {
    outs() << vinyl::runtimeFlags(*Layout) << "\n";
    return ExitOk;
  }
  auto Result = vinyl::runConversion(runOptions(*Layout));
  if (!Result)
    return fail(Result.takeError());
  switch (Result->Status) {
  case vinyl::RunStatus::Done:
    return ExitOk;
  case vinyl::RunStatus::Findings:
    return ExitWork;
  case vinyl::RunStatus::Refused:
    return ExitError;
  }
  llvm_unreachable("covered switch");
}
