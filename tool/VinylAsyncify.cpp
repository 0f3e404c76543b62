//===- VinylAsyncify.cpp - The vinyl-asyncify command line ----------------===//
//
// Only options and the order of the phases live here; the work is in the
// vinylAsyncify library: extract (per TU) -> solve (whole program) ->
// rewrite -> apply (verify, then write everything or nothing).
//
// Only a plain run writes sources; --check, --diff, --explain, --graph,
// --sarif, --facts-out and --export-fixes analyse and report.
//
// Exit codes: 0 done (or, with --check, nothing found), 1 --check found
// something, 2 errors (and then nothing was written).
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/apply/Apply.h"
#include "vinyl-asyncify/solve/Check.h"
#include "vinyl-asyncify/config/Config.h"
#include "vinyl-asyncify/extract/Extract.h"
#include "vinyl-asyncify/report/FactsFile.h"
#include "vinyl-asyncify/facts/FactsIO.h"
#include "vinyl-asyncify/config/Layout.h"
#include "vinyl-asyncify/config/Paths.h"
#include "vinyl-asyncify/report/Report.h"
#include "vinyl-asyncify/rewrite/Rewrite.h"
#include "vinyl-asyncify/solve/Solve.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
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
             "synchronous, calling blocking facades"),
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

Expected<vinyl::Config> loadProjectConfig(const vinyl::Layout &L) {
  std::vector<std::string> Files;
  SmallString<256> Bundled(L.RulesDir);
  sys::path::append(Bundled, "posix.yaml");
  Files.push_back(std::string(Bundled));
  SmallString<256> First(Paths.front());
  if (!sys::fs::is_directory(First))
    sys::path::remove_filename(First);
  if (std::string Project = vinyl::findProjectConfig(First); !Project.empty())
    Files.push_back(std::move(Project));
  llvm::append_range(Files, RulesFiles);
  auto C = vinyl::loadConfig(Files);
  if (C && AllowBlockingConstructors)
    C->AllowBlockingConstructors = true;
  return C;
}

Expected<std::unique_ptr<clang::tooling::CompilationDatabase>> loadDatabase() {
  std::string Message;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  if (!BuildPath.empty()) {
    DB = clang::tooling::CompilationDatabase::autoDetectFromDirectory(BuildPath,
                                                                      Message);
  } else {
    // Searching from a file inside the first path also searches the path
    // itself when it is a directory.
    SmallString<256> Probe(Paths.front());
    sys::fs::make_absolute(Probe);
    if (sys::fs::is_directory(Probe))
      sys::path::append(Probe, "vinyl-probe.cpp");
    DB = clang::tooling::CompilationDatabase::autoDetectFromSource(Probe,
                                                                   Message);
  }
  if (!DB)
    return createStringError(
        inconvertibleErrorCode(),
        "error: no compilation database found %s%s (looked for "
        "compile_commands.json)\n"
        "note: %s\n"
        "note: generate one with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
        "and pass its directory with -p",
        BuildPath.empty() ? "above " : "in ",
        BuildPath.empty() ? Paths.front().c_str() : BuildPath.c_str(),
        Message.c_str());
  return std::move(DB);
}

/// Warns about leaf rules from user files that no call matched: usually a
/// misspelt name.
void warnUnusedRules(const vinyl::Config &C, const vinyl::Facts &F,
                     const vinyl::Layout &L) {
  StringSet<> Seen;
  for (const std::string &Name : F.LeavesSeen)
    Seen.insert(Name);
  for (const vinyl::LeafRule &R : C.Leaves)
    if (!Seen.contains(R.Name) && !StringRef(R.Origin).starts_with(L.RulesDir))
      WithColor::warning(errs())
          << R.Origin << ": leaf rule '" << R.Name
          << "' matched no call [vinyl-unused-rule]\n";
}

/// --tu narrows the TUs parsed (same file, however it is spelt).
bool isSelectedTU(StringRef File) {
  if (TUs.empty())
    return true;
  for (const std::string &TU : TUs)
    if (sys::fs::equivalent(TU, File))
      return true;
  return false;
}

Expected<vinyl::Facts> readFactsFiles() {
  vinyl::Facts All;
  for (const std::string &Path : FactsIn) {
    auto Part = vinyl::readFacts(Path);
    if (!Part)
      return Part.takeError();
    All.merge(std::move(*Part));
  }
  return All;
}

int writeExtracted(const vinyl::Facts &F) {
  std::error_code EC;
  raw_fd_ostream OS(ExtractOnly, EC, sys::fs::OF_Text);
  if (EC) {
    errs() << ExtractOnly << ": error: cannot write: " << EC.message() << "\n";
    return ExitError;
  }
  vinyl::writeFacts(OS, F);
  return ExitOk;
}

Error writeFactsOut(const vinyl::Facts &F, const vinyl::Solution &S) {
  std::error_code EC;
  raw_fd_ostream OS(FactsOut, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "%s: error: cannot write: %s",
                             FactsOut.c_str(), EC.message().c_str());
  vinyl::writeFactsFile(OS, vinyl::makeFactsFile(F, S));
  return Error::success();
}

/// The new text of every file the conversion changes.
Expected<std::vector<vinyl::ChangedFile>>
convertedFiles(const vinyl::Facts &F, const vinyl::Solution &S,
               const vinyl::Config &C) {
  vinyl::SourceFiles Sources;
  auto Changes = vinyl::rewrite(F, S, C, Sources);
  if (!Changes)
    return Changes.takeError();
  return vinyl::applyChanges(*Changes, Sources);
}

int run(const vinyl::Layout &L) {
  if (Paths.empty()) {
    errs() << "error: no paths given; usage: vinyl-asyncify [options] "
              "<path>...\n";
    return ExitError;
  }
  auto Writable = vinyl::PathSet::create(Paths);
  if (!Writable)
    return fail(Writable.takeError());
  auto Cfg = loadProjectConfig(L);
  if (!Cfg)
    return fail(Cfg.takeError());
  auto DB = loadDatabase();
  if (!DB)
    return fail(DB.takeError());

  std::vector<std::string> Files, Outside;
  for (const std::string &File : (*DB)->getAllFiles())
    if (isSelectedTU(File))
      (Writable->contains(File) ? Files : Outside).push_back(File);
  if (Files.empty()) {
    errs() << "error: the compilation database has no translation unit "
              "under the paths\n";
    return ExitError;
  }
  // The database's code outside the paths is synchronous code that uses
  // the paths' functions: it is parsed too (never written), so what it
  // calls keeps a facade, and re-parsed with the converted headers.
  if (!SkipOutsideUnits)
    llvm::append_range(Files, Outside);

  vinyl::ExtractOptions Opts;
  Opts.Cfg = &*Cfg;
  Opts.Writable = &*Writable;
  Opts.Jobs = Jobs;
  Opts.RuntimeIncludeDir = L.RuntimeIncludeDir;
  bool ShowProgress = sys::Process::StandardErrIsDisplayed();
  auto Progress = [&](unsigned Done, unsigned Total, StringRef File) {
    errs() << "[" << Done << "/" << Total << "] " << File << "\n";
  };
  if (ShowProgress)
    Opts.Progress = Progress;
  auto Facts = FactsIn.empty() ? vinyl::extractAll(**DB, Files, Opts)
                               : readFactsFiles();
  if (!Facts)
    return fail(Facts.takeError());
  if (!ExtractOnly.empty())
    return writeExtracted(*Facts);
  vinyl::resolveLeaves(*Facts);
  warnUnusedRules(*Cfg, *Facts, L);

  vinyl::Solution S = vinyl::solve(*Facts, *Cfg);
  std::vector<vinyl::Diagnostic> Diags = S.Diags;
  if (Check)
    llvm::append_range(Diags, vinyl::checkFixpoint(*Facts, S, *Cfg));
  vinyl::sortDiagnostics(Diags);
  for (const vinyl::Diagnostic &D : Diags)
    vinyl::printDiagnostic(errs(), D);
  if (!Sarif.empty())
    if (Error E = vinyl::writeSarif(Sarif, Diags))
      return fail(std::move(E));
  if (!Graph.empty())
    if (Error E = vinyl::writeGraph(Graph, *Facts, S))
      return fail(std::move(E));
  if (!FactsOut.empty())
    if (Error E = writeFactsOut(*Facts, S))
      return fail(std::move(E));
  if (!Explain.empty())
    if (Error E = vinyl::explain(outs(), *Facts, S, Explain))
      return fail(std::move(E));
  if (Check) {
    bool OnlyWarnings = llvm::all_of(Diags, [](const vinyl::Diagnostic &D) {
      return D.Severity == vinyl::Diagnostic::Warning;
    });
    if (!Diags.empty())
      errs() << Diags.size() << (Diags.size() == 1 ? " problem" : " problems")
             << (OnlyWarnings ? " found (warnings)\n"
                              : " found; the code is not at the fixpoint\n");
    int Result = Diags.empty() ? ExitOk : ExitWork;
    if (ExportFixes.empty() || S.hasErrors())
      return Result;
    // The fixes for what --check found, for a bot to apply.
    auto Changed = convertedFiles(*Facts, S, *Cfg);
    if (!Changed)
      return fail(Changed.takeError());
    if (Error E = vinyl::exportFixes(ExportFixes, *Changed))
      return fail(std::move(E));
    return Result;
  }
  bool WritesSources = !Diff && ExportFixes.empty() && Sarif.empty() &&
                       Graph.empty() && Explain.empty() && FactsOut.empty();
  if (S.hasErrors()) {
    if (WritesSources)
      errs() << "error: nothing was written\n";
    return ExitError;
  }
  if (!WritesSources && !Diff && ExportFixes.empty())
    return ExitOk;

  auto Changed = convertedFiles(*Facts, S, *Cfg);
  if (!Changed)
    return fail(Changed.takeError());

  if (!ExportFixes.empty())
    if (Error E = vinyl::exportFixes(ExportFixes, *Changed))
      return fail(std::move(E));
  if (!WritesSources && !Diff)
    return ExitOk;
  if (Diff) {
    for (const vinyl::ChangedFile &C : *Changed)
      vinyl::printUnifiedDiff(outs(), C);
    return ExitOk;
  }
  if (Changed->empty())
    return ExitOk;
  if (Error E = vinyl::verify(**DB, *Facts, *Changed, L.RuntimeIncludeDir,
                              Jobs))
    return fail(std::move(E));
  if (Error E = vinyl::writeAtomically(*Changed))
    return fail(std::move(E));
  for (const vinyl::ChangedFile &C : *Changed)
    errs() << "converted " << C.Path << "\n";
  return ExitOk;
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
  return run(*Layout);
}
