//===- ThreadMembersFacet.cpp - Member threads that may become tasks ------===//
//
// A data member of a spawn-rule thread type that an object starts and
// joins itself, as classes with a worker do:
//  - `worker_ = std::thread([this] { run(); });` becomes
//    `worker_ = vinyl::spawn(...);`;
//  - `Pump(int fd) : worker_(&Pump::run, this)` becomes
//    `worker_(vinyl::spawn(&Pump::run_async, this))`;
//  - `worker_.join();` becomes `co_await worker_.join();`;
//  - `std::thread worker_;` becomes `vinyl::join_handle worker_;`
// (a join in a destructor, which stays synchronous, waits in place). The
// threads of one member become tasks together: their spawns and joins are
// grouped by the member's declaration, as a local container's are, and a
// join in a unit that starts no thread of the member learns what the
// thread runs from the units that do (linkThreadJoins). A member this unit
// uses otherwise (named on another object, passed on, swapped) keeps its
// threads, whose functions and lambdas are then handed on as before.
//
//===----------------------------------------------------------------------===//
#include "ThreadSpawns.h"

#include "clang/Lex/Lexer.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class ThreadMembersFacet : public Facet {
public:
  explicit ThreadMembersFacet(ExtractContext &X) : Facet(X), Spawns(X) {}

  /// Member initializers of a constructor: `worker_(f, a)`, `worker_{f,
  /// a}` and `worker_(std::thread(f, a))` start a thread.
  void functionDecl(const FunctionDecl &FD) override {
    const auto *Ctor = dyn_cast<CXXConstructorDecl>(&FD);
    if (!Ctor || !Ctor->doesThisDeclarationHaveABody() || X.Cfg.Spawns.empty())
      return;
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->isMemberInitializer())
        if (ThreadMember *M = member(Init->getMember()))
          initializer(*Init, *M);
  }

  /// `worker_ = std::thread(f, a)`.
  void operatorCall(const CXXOperatorCallExpr &E) override {
    if (E.getOperator() != OO_Equal || E.getNumArgs() != 2)
      return;
    const MemberExpr *Ref = nullptr;
    ThreadMember *M = memberOfThis(E.getArg(0), Ref);
    if (!M)
      return;
    CallFact C;
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (!threadTemporary(E.getArg(1)->IgnoreImplicit(), Construct, Type) ||
        !Spawns.spawnedCallable(Construct, *M->Rule, C))
      return; // Left unmarked: another use.
    Refs.insert(Ref);
    Spawns.spawnEdit(C, Type.getSourceRange(), M->Rule->Replacement);
    addSpawn(&E, std::move(C), *M);
  }

  /// `worker_.join()` is awaited; the handle's other members stay.
  void memberCall(const CXXMemberCallExpr &CE) override {
    const CXXMethodDecl *Method = CE.getMethodDecl();
    const MemberExpr *Ref = nullptr;
    ThreadMember *M = Method && Method->getIdentifier()
                          ? memberOfThis(CE.getImplicitObjectArgument(), Ref)
                          : nullptr;
    if (!M)
      return;
    StringRef Name = Method->getName();
    if (Name == M->Rule->Join) {
      Refs.insert(Ref);
      CallFact C;
      C.Kind = CallKind::Join;
      C.Group = M->Group;
      M->Joins.push_back(X.recordCall(&CE, std::move(C)));
    } else if (llvm::is_contained(M->Rule->HandleMembers, Name)) {
      Refs.insert(Ref);
    }
  }

  /// The member named other than by a use the rewrite keeps valid.
  void memberExpr(const MemberExpr &E) override {
    if (Refs.contains(&E))
      return;
    const auto *FD = dyn_cast<FieldDecl>(E.getMemberDecl());
    ThreadMember *M = FD ? member(FD) : nullptr;
    if (M && M->Problem.empty())
      M->Problem = "'" + FD->getNameAsString() + "' is used at line " +
                   std::to_string(X.lineOf(&E)) + " other than by calling " +
                   handleMembers(*M->Rule) + " or assigning it a new thread";
  }

  /// Each spawn of a member gets the edit of its declaration, each join
  /// the function its threads run. A member used otherwise keeps its
  /// threads: their spawns become the hand-overs they were, and its joins
  /// stay as written.
  void finish() override {
    std::vector<size_t> Drop;
    for (auto &[FD, M] : Members) {
      for (size_t I : M.Spawns)
        if (M.Problem.empty())
          M.Problem = X.Out.Calls[I].Problem;
      if (!M.Problem.empty()) {
        for (size_t I : M.Spawns)
          ThreadSpawns::keepThread(X.Out.Calls[I],
                                   FD->getQualifiedNameAsString(), "a thread",
                                   M.Problem);
        llvm::append_range(Drop, M.Joins);
        continue;
      }
      for (size_t I : M.Spawns)
        llvm::append_range(X.Out.Calls[I].SpawnEdits, M.Edits);
      // Else linkThreadJoins asks the other units.
      if (!M.Spawns.empty())
        for (size_t I : M.Joins)
          X.Out.Calls[I].Callee = X.Out.Calls[M.Spawns.front()].Callee;
    }
    llvm::sort(Drop);
    for (size_t I : llvm::reverse(Drop))
      X.Out.Calls.erase(X.Out.Calls.begin() + I);
  }

private:
  struct ThreadMember {
    const SpawnRule *Rule = nullptr;
    std::string Group; ///< "file:line:col Class::name" of its declaration.
    std::vector<TextEdit> Edits; ///< Its declared type.
    /// Indices into Out.Calls of its spawns and joins.
    std::vector<size_t> Spawns, Joins;
    std::string Problem;
  };

  /// The thread member \p FD, if it is one that may hold a task: a
  /// spawn-rule type with a handle type, declared in a class that is not a
  /// template, in a file the run may write.
  ThreadMember *member(const FieldDecl *FD) {
    if (!FD || X.Cfg.Spawns.empty())
      return nullptr;
    if (auto It = Members.find(FD); It != Members.end())
      return &It->second;
    const SpawnRule *Rule = Spawns.threadRule(FD->getType());
    if (!Rule || Rule->HandleType.empty() || Rule->Join.empty() ||
        FD->getParent()->isDependentContext() ||
        !X.isWritableLoc(FD->getLocation()))
      return nullptr;
    ThreadMember &M = Members[FD];
    M.Rule = Rule;
    M.Group = Spawns.group(FD->getLocation(), FD->getQualifiedNameAsString());
    Anchor Where = X.fileAnchor(
        FD->getTypeSourceInfo()->getTypeLoc().getSourceRange(), M.Problem);
    if (M.Problem.empty())
      M.Edits.push_back({std::move(Where), Rule->HandleType});
    if (FD->hasInClassInitializer() && M.Problem.empty())
      M.Problem =
          "'" + FD->getNameAsString() + "' is initialised in its declaration";
    return &M;
  }

  /// `worker_` or `this->worker_`, a thread member of this object.
  ThreadMember *memberOfThis(const Expr *E, const MemberExpr *&Ref) {
    Ref = dyn_cast<MemberExpr>(E->IgnoreImplicit());
    if (!Ref || !isa<CXXThisExpr>(Ref->getBase()->IgnoreParenImpCasts()))
      return nullptr;
    return member(dyn_cast<FieldDecl>(Ref->getMemberDecl()));
  }

  /// `worker_(std::thread(f, a))` -> `worker_(vinyl::spawn(f', a))`;
  /// `worker_(f, a)` -> `worker_(vinyl::spawn(f', a))`.
  void initializer(const CXXCtorInitializer &Init, ThreadMember &M) {
    const Expr *E = Init.getInit()->IgnoreImplicit();
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    CallFact C;
    if (threadTemporary(E, Construct, Type)) {
      if (!Spawns.spawnedCallable(Construct, *M.Rule, C))
        return unconverted(Init, M);
      Spawns.spawnEdit(C, Type.getSourceRange(), M.Rule->Replacement);
    } else if (const auto *Direct = dyn_cast<CXXConstructExpr>(E);
               Direct && Direct->getNumArgs() > 0 &&
               !Direct->getConstructor()->isCopyOrMoveConstructor()) {
      if (!Spawns.spawnedCallable(Direct->getArg(0), Direct->getNumArgs() - 1,
                                  *M.Rule, C))
        return unconverted(Init, M);
      Spawns.spawnInsert(C, Direct->getArg(0)->getBeginLoc(),
                         M.Rule->Replacement + "(");
      Spawns.spawnInsert(
          C,
          Lexer::getLocForEndOfToken(
              Direct->getArg(Direct->getNumArgs() - 1)->getEndLoc(), 0, X.SM,
              X.LO),
          ")");
    } else {
      if (isa<CXXConstructExpr>(E) &&
          cast<CXXConstructExpr>(E)->getNumArgs() == 0)
        return; // Not started here.
      return unconverted(Init, M);
    }
    addSpawn(E, std::move(C), M);
  }

  void unconverted(const CXXCtorInitializer &Init, ThreadMember &M) {
    if (M.Problem.empty())
      M.Problem =
          "a thread is started in it at line " +
          std::to_string(X.SM.getSpellingLineNumber(Init.getSourceLocation())) +
          " that does not run a function or lambda of the paths";
  }

  void addSpawn(const Expr *E, CallFact C, ThreadMember &M) {
    C.Group = M.Group;
    size_t I = X.recordCall(E, std::move(C));
    X.Out.Calls[I].Loc = X.location(E->getBeginLoc());
    M.Spawns.push_back(I);
  }

  ThreadSpawns Spawns;
  MapVector<const FieldDecl *, ThreadMember> Members;
  /// Names of thread members in uses the rewrite keeps valid.
  DenseSet<const MemberExpr *> Refs;
};

} // namespace

std::unique_ptr<Facet> makeThreadMembersFacet(ExtractContext &X) {
  return std::make_unique<ThreadMembersFacet>(X);
}

} // namespace vinyl::extract
