//===- Extract.cpp - Facts from translation units, one parse each ---------===//
//
// Each TU of the compile database is parsed once, in parallel, and walked
// once (Traversal.cpp) by every facet of extraction: for every function
// declared under the paths, what the solver needs (flags, calls,
// overrides) and where each possible edit goes. A TU outside the paths is
// also walked for its uses of the paths' functions (OutsideCallers.cpp).
// The facts of all TUs are merged.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/extract/Extract.h"

#include "ExtractContext.h"

#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "vinyl-asyncify/extract/ParallelTool.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"

#include <set>
#include <tuple>

using namespace clang;
using namespace llvm;

namespace vinyl {

std::string writablePath(FileManager &FM, const PathSet &Writable,
                         StringRef Name) {
  SmallString<256> Path(Name);
  // ClangTool sets the command's directory on the VFS, not on FileManager.
  FM.getVirtualFileSystem().makeAbsolute(Path);
  return Writable.writable(Path);
}

namespace {

class ExtractAction : public ASTFrontendAction {
public:
  ExtractAction(const ExtractOptions &Opts, Facts &Out)
      : Opts(Opts), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    CI.getPreprocessor().addPPCallbacks(std::make_unique<Skips>(Skipped));
    return std::make_unique<Consumer>(Opts, Out, Skipped);
  }

private:
  /// Inactive #if branches.
  struct Skips : PPCallbacks {
    explicit Skips(std::vector<SourceRange> &Out) : Out(Out) {}
    void SourceRangeSkipped(SourceRange Range, SourceLocation) override {
      Out.push_back(Range);
    }
    std::vector<SourceRange> &Out;
  };
  struct Consumer : ASTConsumer {
    Consumer(const ExtractOptions &Opts, Facts &Out,
             const std::vector<SourceRange> &Skipped)
        : Opts(Opts), Out(Out), Skipped(Skipped) {}
    void HandleTranslationUnit(ASTContext &Ctx) override {
      Out = extractFromAST(Ctx, Opts, Skipped);
    }
    const ExtractOptions &Opts;
    Facts &Out;
    const std::vector<SourceRange> &Skipped;
  };
  const ExtractOptions &Opts;
  Facts &Out;
  std::vector<SourceRange> Skipped;
};

} // namespace

namespace extract {
std::vector<std::unique_ptr<Facet>> makeAllFacets(ExtractContext &X) {
  std::vector<std::unique_ptr<Facet>> Facets;
  Facets.push_back(makeDeclarationsFacet(X));
  // It only looks at calls (and takes none): before any facet that does.
  Facets.push_back(makeUninstantiatedCallsFacet(X));
  // Before CallablesFacet: a callable a thread runs is a spawn's, not
  // handed on.
  Facets.push_back(makeThreadsFacet(X));
  Facets.push_back(makeThreadMembersFacet(X));
  Facets.push_back(makeCallablesFacet(X));
  Facets.push_back(makeMisuseFacet(X));
  Facets.push_back(makeSyncFacet(X));
  Facets.push_back(makeCallsFacet(X));
  Facets.push_back(makeHazardsFacet(X));
  Facets.push_back(makeCatchFacet(X));
  Facets.push_back(makeTwinsFacet(X));
  Facets.push_back(makeFastPathFacet(X));
  Facets.push_back(makeResumeFacet(X));
  return Facets;
}
} // namespace extract

Location locationOf(const SourceManager &SM, SourceLocation Loc) {
  Location L;
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc),
                                    /*UseLineDirectives=*/false);
  if (P.isInvalid())
    return L;
  L.File = P.getFilename();
  L.Line = P.getLine();
  L.Column = P.getColumn();
  return L;
}

Facts extractFromAST(ASTContext &Ctx, const ExtractOptions &Opts,
                     ArrayRef<SourceRange> Skipped) {
  Facts Out;
  // A TU with errors yields no facts: its AST cannot be trusted.
  if (Ctx.getDiagnostics().hasErrorOccurred())
    return Out;
  extract::ExtractContext X(Ctx, Opts, Out);
  X.Skipped = Skipped;
  std::vector<std::unique_ptr<extract::Facet>> Facets =
      extract::makeAllFacets(X);
  for (const auto &F : Facets)
    X.Facets.push_back(F.get());
  extract::traverse(X);
  SourceManager &SM = Ctx.getSourceManager();
  FileManager &FM = SM.getFileManager();
  StringRef MainName = SM.getFileEntryRefForID(SM.getMainFileID())->getName();
  std::string Main = writablePath(FM, *Opts.Writable, MainName);
  if (Main.empty()) {
    recordOutsideCalls(Ctx, *Opts.Writable, Out);
    SmallString<256> Path(MainName);
    FM.getVirtualFileSystem().makeAbsolute(Path);
    Main = realPath(Path);
  }
  std::vector<std::string> &Files = Out.FilesOfTU[Main];
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
    if (std::string W = writablePath(FM, *Opts.Writable, It->first.getName());
        !W.empty())
      Files.push_back(std::move(W));
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  return Out;
}

void resolveLeaves(Facts &F) {
  for (CallFact &C : F.Calls) {
    if (C.LeafName.empty())
      continue;
    auto It = F.Functions.find(C.Callee);
    if (It != F.Functions.end() && It->second.Writable)
      continue; // Defined under the paths: the project's own function.
    C.Callee = "leaf:" + C.LeafName;
    C.CalleeName = C.LeafCallee;
  }
}

void linkThreadJoins(Facts &F) {
  StringMap<std::string> Runs;
  for (const CallFact &C : F.Calls)
    if (C.Kind == CallKind::Spawn && !C.Group.empty() && !C.Callee.empty())
      Runs.try_emplace(C.Group, C.Callee);
  // A header's join seen by units that start the thread and by units that
  // do not: once linked, one fact.
  std::set<std::tuple<std::string, unsigned, std::string>> Seen;
  llvm::erase_if(F.Calls, [&](CallFact &C) {
    if (C.Kind != CallKind::Join || C.Group.empty())
      return false;
    if (C.Callee.empty()) {
      auto It = Runs.find(C.Group);
      if (It == Runs.end())
        return true;
      C.Callee = It->second;
    }
    return !Seen.insert({C.Call.File, C.Call.Offset, C.Callee}).second;
  });
}

Expected<Facts> extractAll(const tooling::CompilationDatabase &DB,
                           ArrayRef<std::string> Files,
                           const ExtractOptions &Opts) {
  Facts All;
  std::vector<Facts> PerTU(Files.size());
  unsigned Done = 0, Failed = 0;
  ParallelRun Run;
  Run.TUs = Files;
  Run.RuntimeIncludeDir = Opts.RuntimeIncludeDir;
  Run.Jobs = Opts.Jobs;
  // Warnings are the user's business, not the analysis's (and -Werror
  // must not fail a TU here).
  Run.ExtraArgs = {"-w"};
  Run.Action = [&](size_t I) -> std::unique_ptr<tooling::FrontendActionFactory> {
    struct Factory : tooling::FrontendActionFactory {
      Factory(const ExtractOptions &Opts, Facts &Out) : Opts(Opts), Out(Out) {}
      std::unique_ptr<FrontendAction> create() override {
        return std::make_unique<ExtractAction>(Opts, Out);
      }
      const ExtractOptions &Opts;
      Facts &Out;
    };
    return std::make_unique<Factory>(Opts, PerTU[I]);
  };
  Run.Finished = [&](size_t I, bool Compiled, StringRef Diags) {
    raw_ostream &OS = Opts.Diagnostics ? *Opts.Diagnostics : errs();
    OS << Diags;
    if (!Compiled) {
      ++Failed;
      OS << Files[I] << ": error: this translation unit does not "
             << "compile; nothing was converted\n";
    }
    All.merge(std::move(PerTU[I]));
    ++Done;
    if (Opts.Progress)
      Opts.Progress(Done, Files.size(), Files[I]);
  };
  runInParallel(DB, Run);
  if (Failed)
    return createStringError(inconvertibleErrorCode(),
                             "error: %u translation unit(s) did not compile; "
                             "nothing was written",
                             Failed);
  return All;
}

} // namespace vinyl
