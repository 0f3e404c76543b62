//===- OutsideCallers.cpp - Uses of the paths' functions by outside code --===//
//
// Code outside the paths (a tests/ directory, another library of the same
// compile database) is synchronous code that is never rewritten, so every
// function of the paths it calls or takes the address of must stay
// callable as it was: it keeps a facade, whatever the facade policy. For a translation
// unit whose main file lies outside the paths, this pass walks the main
// file's code and records each such use as a call from a function that is
// not writable, which the solver treats as a synchronous caller. Calls of
// functions the unit declares itself are recorded too: by id they may be
// the paths' functions.
//
//===----------------------------------------------------------------------===//
#include "ExtractInternal.h"
#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;
using namespace llvm;

namespace vinyl {
namespace {

class OutsideCallers : public RecursiveASTVisitor<OutsideCallers> {
public:
  OutsideCallers(ASTContext &Ctx, const PathSet &Writable, Facts &Out)
      : SM(Ctx.getSourceManager()), Writable(Writable), Out(Out) {}

  // An instantiation resolves the calls its pattern makes through a
  // template parameter.
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // A class outside the paths (a test's mock, in its header or its unit)
    // that overrides the paths' virtuals.
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D);
        RD && RD->isThisDeclarationADefinition() &&
        !SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation())) &&
        !isWritable(RD->getLocation()))
      for (const CXXMethodDecl *M : RD->methods())
        recordOverride(M);
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl,
             CXXRecordDecl>(D) &&
        !SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      return true;
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return RecursiveASTVisitor::TraverseDecl(D);
    const FunctionDecl *Outer = Caller;
    Caller = FD;
    bool Ok = RecursiveASTVisitor::TraverseDecl(D);
    Caller = Outer;
    return Ok;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    record(dyn_cast<FunctionDecl>(E->getDecl()), E->getLocation());
    return true;
  }

  bool VisitMemberExpr(MemberExpr *E) {
    record(dyn_cast<FunctionDecl>(E->getMemberDecl()), E->getMemberLoc());
    return true;
  }

private:
  void recordOverride(const CXXMethodDecl *M) {
    std::vector<std::string> Bases;
    for (const CXXMethodDecl *Base : M->overridden_methods())
      if (isOurs(Base))
        Bases.push_back(functionId(*Base));
    if (Bases.empty())
      return;
    FunctionFact &F = Out.Functions[functionId(*M)];
    F.Id = functionId(*M);
    F.Name = M->getQualifiedNameAsString();
    F.Loc = location(M->getLocation());
    F.IsVirtual = true;
    F.IsOutsideOverride = true;
    for (std::string &B : Bases)
      if (!llvm::is_contained(F.Overrides, B))
        F.Overrides.push_back(std::move(B));
  }

  void record(const FunctionDecl *Callee, SourceLocation Loc) {
    if (!Callee || !(isOurs(Callee) || mayBeOurs(Callee)))
      return;
    CallFact C;
    C.Callee = functionId(*Callee);
    C.Loc = location(Loc);
    if (Caller) {
      C.Caller = functionId(*Caller);
      FunctionFact &F = Out.Functions[C.Caller];
      if (F.Id.empty()) {
        F.Id = C.Caller;
        F.Name = Caller->getQualifiedNameAsString();
        F.Loc = location(Caller->getLocation());
        F.HasDefinition = true;
      }
    } else {
      // A namespace-scope initialiser: no function, still synchronous.
      C.Caller = "outside:" + C.Loc.File;
    }
    Out.Calls.push_back(std::move(C));
  }

  bool isOurs(const FunctionDecl *FD) {
    for (const FunctionDecl *R : FD->redecls())
      if (isWritable(R->getLocation()))
        return true;
    return false;
  }

  /// A function this TU declares itself, outside the paths, and does not
  /// define (`int read_byte(int);` in a test instead of the header): by
  /// its id it may be one of the paths' functions, and only the merged
  /// facts tell. System headers' functions are never ours.
  bool mayBeOurs(const FunctionDecl *FD) {
    if (FD->isDefined() || !FD->isExternallyVisible())
      return false;
    return llvm::none_of(FD->redecls(), [&](const FunctionDecl *R) {
      return SM.isInSystemHeader(SM.getExpansionLoc(R->getLocation()));
    });
  }

  bool isWritable(SourceLocation Loc) {
    FileID FID = SM.getFileID(SM.getExpansionLoc(Loc));
    auto [It, New] = WritableFiles.try_emplace(FID, false);
    if (New)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
        It->second = !writablePath(SM.getFileManager(), Writable,
                                   FE->getName())
                          .empty();
    return It->second;
  }

  Location location(SourceLocation Loc) { return locationOf(SM, Loc); }

  SourceManager &SM;
  const PathSet &Writable;
  Facts &Out;
  const FunctionDecl *Caller = nullptr;
  DenseMap<FileID, bool> WritableFiles;
};

} // namespace

void recordOutsideCalls(ASTContext &Ctx, const PathSet &Writable,
                        Facts &Out) {
  OutsideCallers(Ctx, Writable, Out).TraverseAST(Ctx);
}

} // namespace vinyl
