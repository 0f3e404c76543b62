//===- Pipeline.cpp - A whole conversion as one library call --------------===//
//
// extract (per TU) -> solve (whole program) -> rewrite -> apply (verify,
// then write everything or nothing). Only a plain run writes sources;
// --check, --diff and the reports analyse and print.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/pipeline/Pipeline.h"

#include "DetectCompiler.h"
#include "RelativeDirectories.h"

#include "vinyl-asyncify/config/Paths.h"
#include "vinyl-asyncify/extract/Extract.h"
#include "vinyl-asyncify/facts/FactsIO.h"
#include "vinyl-asyncify/report/FactsFile.h"
#include "vinyl-asyncify/report/Report.h"
#include "vinyl-asyncify/rewrite/Rewrite.h"
#include "vinyl-asyncify/solve/Check.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <set>

using namespace llvm;

namespace vinyl {

bool RunOptions::writesSources() const {
  return !Diff && ExportFixes.empty() && Sarif.empty() && Graph.empty() &&
         Explain.empty() && FactsOut.empty();
}

bool RunOptions::repairsLeftovers() const {
  return RecoverOnly ||
         (writesSources() && !Check && ExtractOnly.empty() && FactsIn.empty());
}

/// The bundled rules files by pack name: the POSIX rules ("posix") first,
/// then the packs beside them (rules/<pack>.yaml) in name order.
static std::vector<std::pair<std::string, std::string>>
bundledPacks(StringRef PosixRules) {
  std::vector<std::pair<std::string, std::string>> Packs;
  std::error_code EC;
  StringRef Dir = sys::path::parent_path(PosixRules);
  for (sys::fs::directory_iterator It(Dir.empty() ? "." : Dir, EC), End;
       It != End && !EC; It.increment(EC)) {
    StringRef Path = It->path();
    if (sys::path::extension(Path) != ".yaml" ||
        sys::fs::equivalent(Path, PosixRules))
      continue;
    Packs.push_back({sys::path::stem(Path).str(), Path.str()});
  }
  llvm::sort(Packs);
  Packs.insert(Packs.begin(), {"posix", PosixRules.str()});
  return Packs;
}

Expected<Config> loadRunConfig(const ConfigSources &Sources) {
  // Every bundled pack applies; one whose calls the code never makes
  // matches nothing and says nothing.
  std::vector<std::string> Files;
  auto Packs = bundledPacks(Sources.BundledRules);
  for (const auto &Pack : Packs)
    Files.push_back(Pack.second);
  if (std::string Project = findProjectConfig(Sources.ProjectDir);
      !Project.empty())
    Files.push_back(std::move(Project));
  llvm::append_range(Files, Sources.Extra);
  Expected<Config> C = loadConfig(Files);
  if (!C)
    return C;
  for (const auto &[Name, By] : C->DisabledPacks) {
    auto Pack =
        llvm::find_if(Packs, [&](const auto &P) { return P.first == Name; });
    if (Pack == Packs.end()) {
      std::string Known;
      for (const auto &P : Packs)
        Known += (Known.empty() ? "" : ", ") + P.first;
      return createStringError(
          inconvertibleErrorCode(),
          "%s: error: 'disable_packs' names '%s', which is not a bundled "
          "pack (%s)",
          By.c_str(), Name.c_str(), Known.c_str());
    }
    llvm::erase_if(C->Leaves,
                   [&](const LeafRule &R) { return R.Origin == Pack->second; });
  }
  return C;
}

Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadDatabase(StringRef BuildPath, StringRef FirstPath) {
  std::string Message;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  if (!BuildPath.empty()) {
    DB = clang::tooling::CompilationDatabase::autoDetectFromDirectory(BuildPath,
                                                                      Message);
  } else {
    // Searching from a file inside the first path also searches the path
    // itself when it is a directory.
    SmallString<256> Probe(FirstPath);
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
        BuildPath.empty() ? FirstPath.str().c_str() : BuildPath.str().c_str(),
        Message.c_str());
  return resolveRelativeDirectories(
      std::move(DB),
      BuildPath.empty() ? findDatabaseDir(FirstPath) : BuildPath.str());
}

namespace {

class Pipeline {
public:
  explicit Pipeline(const RunOptions &Opts)
      : Opts(Opts), Out(*Opts.Out), Err(*Opts.Err) {}

  Expected<RunResult> run() {
    auto Writable = PathSet::create(Opts.Paths);
    if (!Writable)
      return Writable.takeError();
    // Before anything is parsed: a killed run's half-written tree would
    // not compile. Only a run that writes repairs it.
    unsigned Leftovers = recoverInterruptedWrite(
        Writable->roots(), Opts.repairsLeftovers(), Err);
    if (Opts.RecoverOnly)
      return RunResult();
    auto Cfg = config();
    if (!Cfg)
      return Cfg.takeError();
    auto DB = loadDatabase(Opts.BuildPath, Opts.Paths.front());
    if (!DB)
      return DB.takeError();
    auto Files = units(**DB, *Writable);
    if (!Files)
      return Files.takeError();
    if (!Cfg->CompilerFromFile)
      Cfg->Compiler = detectCompiler(**DB, *Files);

    RunResult R;
    if (Leftovers && Opts.Check)
      R.Status = RunStatus::Findings;
    if (Error E = facts(**DB, *Files, *Cfg, *Writable).moveInto(R.F))
      return std::move(E);
    if (Opts.FactsIn.empty() && llvm::all_of(R.F.FilesOfTU, [](const auto &TU) {
          return TU.second.empty();
        }))
      return createStringError(inconvertibleErrorCode(),
                               "error: the compilation database has no "
                               "translation unit under the paths, and none "
                               "of its units includes a file under them");
    if (Opts.FactsIn.empty() && Opts.TUs.empty())
      warnUnseenFiles(*Writable, R.F);
    if (!Opts.ExtractOnly.empty()) {
      if (Error E = writeExtracted(R.F))
        return std::move(E);
      return R;
    }
    resolveLeaves(R.F);
    linkThreadJoins(R.F);
    settleAutomaticFamilies(R.F, *Cfg);
    warnUnusedRules(*Cfg, R.F);
    warnNoLeaf(*Cfg, R.F);

    R.S = solve(R.F, *Cfg);
    R.Diags = R.S.Diags;
    if (Opts.Check)
      llvm::append_range(R.Diags, checkFixpoint(R.F, R.S, *Cfg));
    sortDiagnostics(R.Diags);
    for (const Diagnostic &D : R.Diags)
      printDiagnostic(Err, D);
    if (Error E = reports(R))
      return std::move(E);
    if (Opts.Check) {
      if (Error E = checkSummary(R, *Cfg))
        return std::move(E);
      return R;
    }
    if (R.S.hasErrors()) {
      if (Opts.writesSources())
        Err << "error: nothing was written\n";
      R.Status = RunStatus::Refused;
      return R;
    }
    if (Opts.writesSources() || Opts.Diff || !Opts.ExportFixes.empty())
      if (Error E = convert(R, **DB, *Cfg))
        return std::move(E);
    return R;
  }

private:
  Expected<Config> config() {
    SmallString<256> Bundled(Opts.Where.RulesDir);
    sys::path::append(Bundled, "posix.yaml");
    SmallString<256> First(Opts.Paths.front());
    if (!sys::fs::is_directory(First))
      sys::path::remove_filename(First);
    auto C = loadRunConfig(
        {std::string(Bundled), std::string(First), Opts.RulesFiles});
    if (C && Opts.AllowBlockingConstructors)
      C->AllowBlockingConstructors = true;
    return C;
  }

  /// --tu narrows the TUs parsed (same file, however it is spelt).
  bool isSelectedTU(StringRef File) const {
    if (Opts.TUs.empty())
      return true;
    for (const std::string &TU : Opts.TUs)
      if (sys::fs::equivalent(TU, File))
        return true;
    return false;
  }

  /// The TUs to parse: those under the paths, then (unless skipped) the
  /// database's code outside them, which is synchronous code that uses the
  /// paths' functions: it is parsed too (never written), so what it calls
  /// keeps a facade, and re-parsed with the converted headers.
  Expected<std::vector<std::string>>
  units(const clang::tooling::CompilationDatabase &DB,
        const PathSet &Writable) const {
    std::vector<std::string> Files, Outside;
    for (const std::string &File : DB.getAllFiles())
      if (isSelectedTU(File))
        (Writable.contains(File) ? Files : Outside).push_back(File);
    // A header-only library: its files are analysed (and written) through
    // the units that include them.
    if (Files.empty() && (Opts.SkipOutsideUnits || Outside.empty()))
      return createStringError(inconvertibleErrorCode(),
                               "error: the compilation database has no "
                               "translation unit under the paths");
    if (!Opts.SkipOutsideUnits)
      llvm::append_range(Files, Outside);
    return Files;
  }

  Expected<Facts> facts(const clang::tooling::CompilationDatabase &DB,
                        ArrayRef<std::string> Files, const Config &Cfg,
                        const PathSet &Writable) {
    if (!Opts.FactsIn.empty()) {
      Facts All;
      for (const std::string &Path : Opts.FactsIn) {
        auto Part = readFacts(Path);
        if (!Part)
          return Part.takeError();
        All.merge(std::move(*Part));
      }
      return All;
    }
    ExtractOptions X;
    X.Cfg = &Cfg;
    X.Writable = &Writable;
    X.Jobs = Opts.Jobs;
    X.RuntimeIncludeDir = Opts.Where.RuntimeIncludeDir;
    X.Diagnostics = &Err;
    auto Progress = [&](unsigned Done, unsigned Total, StringRef File) {
      Err << "[" << Done << "/" << Total << "] " << File << "\n";
    };
    if (Opts.ShowProgress)
      X.Progress = Progress;
    return extractAll(DB, Files, X);
  }

  Error writeExtracted(const Facts &F) {
    std::error_code EC;
    raw_fd_ostream OS(Opts.ExtractOnly, EC, sys::fs::OF_Text);
    if (EC)
      return createStringError(EC, "%s: error: cannot write: %s",
                               Opts.ExtractOnly.c_str(), EC.message().c_str());
    writeFacts(OS, F);
    return Error::success();
  }

  /// Warns about leaf rules from user files that no call matched: usually
  /// a misspelt name.
  void warnUnusedRules(const Config &C, const Facts &F) {
    StringSet<> Seen;
    for (const std::string &Name : F.LeavesSeen)
      Seen.insert(Name);
    for (const LeafRule &R : C.Leaves)
      if (!Seen.contains(R.Name) &&
          !StringRef(R.Origin).starts_with(Opts.Where.RulesDir))
        WithColor::warning(Err) << R.Origin << ": leaf rule '" << R.Name
                                << "' matched no call [vinyl-unused-rule]\n";
  }

  /// Sources and headers under the paths that no unit of the database
  /// compiles or includes were not analysed: an override or a call in
  /// them (a TLS socket switched off in this build) is not converted and
  /// may be bypassed after conversion. Build trees under the paths are
  /// skipped.
  void warnUnseenFiles(const PathSet &Writable, const Facts &F) {
    StringSet<> Seen;
    for (const auto &[TU, Files] : F.FilesOfTU)
      for (const std::string &File : Files)
        Seen.insert(File);
    static constexpr StringRef Extensions[] = {
        ".h",   ".hh", ".hpp", ".hxx", ".h++", ".inl", ".ipp",
        ".tpp", ".c",  ".cc",  ".cpp", ".cxx", ".c++"};
    std::vector<std::string> Unseen;
    for (const std::string &Root : Writable.roots()) {
      if (!sys::fs::is_directory(Root)) {
        if (!Seen.contains(Root))
          Unseen.push_back(Root);
        continue;
      }
      std::error_code EC;
      // Links are not followed: a directory link may loop (`self -> .`)
      // or lead out of the paths, where the tool writes nothing anyway.
      for (sys::fs::recursive_directory_iterator It(Root, EC,
                                                    /*follow_symlinks=*/false),
           End;
           It != End && !EC; It.increment(EC)) {
        StringRef Path = It->path();
        StringRef Name = sys::path::filename(Path);
        if (It->type() == sys::fs::file_type::symlink_file &&
            !Writable.contains(realPath(Path)))
          continue;
        if (It->type() == sys::fs::file_type::directory_file) {
          SmallString<256> Cache(Path);
          sys::path::append(Cache, "CMakeCache.txt");
          if (Name.starts_with(".") || sys::fs::exists(Cache))
            It.no_push();
          continue;
        }
        if (!llvm::is_contained(Extensions, sys::path::extension(Name)))
          continue;
        if (std::string Real = realPath(Path);
            !Real.empty() && !Seen.contains(Real))
          Unseen.push_back(std::string(Path));
      }
    }
    llvm::sort(Unseen);
    for (const std::string &File : Unseen)
      WithColor::warning(Err)
          << File
          << ": no unit of the compilation database compiles or "
             "includes this file, so it was not analysed or converted; "
             "configure the build with every option on [vinyl-unseen-file]\n";
  }

  /// No call under the paths matches any leaf rule: nothing can reach
  /// I/O, and the run would otherwise end silently. Usually the project's
  /// I/O sits behind a library the rules do not name.
  void warnNoLeaf(const Config &C, const Facts &F) {
    if (!F.LeavesSeen.empty())
      return;
    std::set<std::string> Files;
    for (const LeafRule &Rule : C.Leaves)
      Files.insert(Rule.Origin);
    WithColor::warning(Err)
        << "no call under the paths matches any of the " << C.Leaves.size()
        << " leaf rules (from " << llvm::join(Files, ", ")
        << "), so nothing reaches blocking I/O and nothing is converted; "
           "name the blocking functions the code calls in a rules file "
           "(--rules, or .vinyl.yaml) [vinyl-no-leaf]\n";
  }

  Error reports(const RunResult &R) {
    if (!Opts.Sarif.empty())
      if (Error E = writeSarif(Opts.Sarif, R.Diags))
        return E;
    if (!Opts.Graph.empty())
      if (Error E = writeGraph(Opts.Graph, R.F, R.S))
        return E;
    if (!Opts.FactsOut.empty()) {
      std::error_code EC;
      raw_fd_ostream OS(Opts.FactsOut, EC, sys::fs::OF_Text);
      if (EC)
        return createStringError(EC, "%s: error: cannot write: %s",
                                 Opts.FactsOut.c_str(), EC.message().c_str());
      writeFactsFile(OS, makeFactsFile(R.F, R.S));
    }
    if (!Opts.Explain.empty())
      if (Error E = explain(Out, R.F, R.S, Opts.Explain))
        return E;
    return Error::success();
  }

  /// --check's last line, and the fixes for what it found, for a bot to
  /// apply.
  Error checkSummary(RunResult &R, const Config &Cfg) {
    bool OnlyWarnings = llvm::all_of(R.Diags, [](const Diagnostic &D) {
      return D.Severity == Diagnostic::Warning;
    });
    if (!R.Diags.empty()) {
      Err << R.Diags.size() << (R.Diags.size() == 1 ? " problem" : " problems")
          << (OnlyWarnings ? " found (warnings)\n"
                           : " found; the code is not at the fixpoint\n");
      R.Status = RunStatus::Findings;
    }
    if (Opts.ExportFixes.empty() || R.S.hasErrors())
      return Error::success();
    if (Error E = changedFiles(R, Cfg))
      return E;
    return exportFixes(Opts.ExportFixes, R.Changed);
  }

  /// The new text of every file the conversion changes.
  Error changedFiles(RunResult &R, const Config &Cfg) {
    SourceFiles Sources;
    auto Changes = rewrite(R.F, R.S, Cfg, Sources);
    if (!Changes)
      return Changes.takeError();
    return applyChanges(*Changes, Sources).moveInto(R.Changed);
  }

  Error convert(RunResult &R, const clang::tooling::CompilationDatabase &DB,
                const Config &Cfg) {
    if (Error E = changedFiles(R, Cfg))
      return E;
    if (!Opts.ExportFixes.empty())
      if (Error E = exportFixes(Opts.ExportFixes, R.Changed))
        return E;
    // --diff shows what a run would write, and fails where that run
    // would refuse it: the same compile check, after the diff.
    if (Opts.Diff)
      for (const ChangedFile &C : R.Changed)
        printUnifiedDiff(Out, C);
    if ((!Opts.writesSources() && !Opts.Diff) || R.Changed.empty())
      return Error::success();
    if (Error E = verify(DB, R.F, R.Changed, Opts.Where.RuntimeIncludeDir,
                         Opts.Jobs, Err))
      return E;
    if (Opts.Diff)
      return Error::success();
    if (Error E = writeAtomically(R.Changed))
      return E;
    R.Written = true;
    for (const ChangedFile &C : R.Changed)
      Err << "converted " << C.Path << "\n";
    return Error::success();
  }

  const RunOptions &Opts;
  raw_ostream &Out, &Err;
};

} // namespace

Expected<RunResult> runConversion(const RunOptions &Opts) {
  if (Opts.Paths.empty())
    return createStringError(inconvertibleErrorCode(),
                             "error: no paths given; usage: vinyl-asyncify "
                             "[options] <path>...");
  return Pipeline(Opts).run();
}

} // namespace vinyl
