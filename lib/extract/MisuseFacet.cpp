//===- MisuseFacet.cpp - Coroutines used in ways that go wrong ------------===//
//
// What one TU shows on its own to be wrong, or about to be, with code
// that awaits:
//  - a task that is never awaited (dropped, or stored and never touched),
//    which never runs, because tasks are lazy: a --check finding;
//  - a lock (std::lock_guard, unique_lock, scoped_lock, shared_lock) in
//    scope at a call, noted on the call: if the call becomes a co_await,
//    the mutex is held across a suspension (the solver warns).
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

bool isLock(QualType T) {
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace())
    return false;
  return llvm::is_contained(
      {"lock_guard", "unique_lock", "scoped_lock", "shared_lock"},
      RD->getName());
}

class MisuseFacet : public Facet {
public:
  using Facet::Facet;

  void varDecl(const VarDecl &VD) override {
    if (VD.isLocalVarDecl() && isLock(VD.getType()))
      Locks.push_back(&VD);
  }

  /// A lock declared in a block is held until the block ends.
  void enterBlock() override { BlockStarts.push_back(Locks.size()); }
  void leaveBlock() override {
    Locks.resize(BlockStarts.pop_back_val());
  }
  /// A lambda's body does not run where it is written.
  void enterFunction() override {
    Outer.emplace_back(std::move(Locks));
    Locks.clear();
  }
  void leaveFunction() override { Locks = Outer.pop_back_val(); }

  void annotate(const Expr &, CallFact &C) override {
    if (Locks.empty())
      return;
    const VarDecl *Lock = Locks.back();
    C.HeldLock =
        "'" + Lock->getNameAsString() + "' (" +
        Lock->getType()->getAsCXXRecordDecl()->getQualifiedNameAsString() +
        ", line " + std::to_string(X.lineOf(Lock)) + ")";
  }

  bool call(const CallExpr &CE) override {
    const FunctionDecl *Callee = CE.getDirectCallee();
    if (Callee && !X.inInstantiation() && X.inCoroutine() &&
        !X.Awaited.contains(&CE) && X.isTask(Callee->getReturnType()))
      checkAwaited(&CE, Callee);
    return false;
  }

  void declRef(const DeclRefExpr &E) override {
    if (const auto *VD = dyn_cast<VarDecl>(E.getDecl()))
      UnusedTasks.erase(VD);
  }

  void finish() override {
    for (auto &[VD, F] : UnusedTasks)
      X.Out.Findings.push_back(std::move(F));
  }

private:
  /// A task is lazy: one that is dropped, or stored and never touched
  /// again, never runs. (A stored task that is used in any way, moved into
  /// a container or awaited later, is left alone.)
  void checkAwaited(const CallExpr *CE, const FunctionDecl *Callee) {
    std::string What =
        "the task returned by '" + Callee->getQualifiedNameAsString() + "'";
    const Expr *Child = CE;
    for (;;) {
      DynTypedNodeList Parents = X.Ctx.getParents(*Child);
      if (Parents.empty())
        return;
      if (const auto *VD = Parents[0].get<VarDecl>()) {
        if (VD->getInit() && VD->getInit()->IgnoreImplicit() == CE)
          UnusedTasks[VD] = {X.location(CE->getExprLoc()),
                             "vinyl-unawaited-task",
                             What + " is stored in '" + VD->getName().str() +
                                 "' but never awaited, so it never runs"};
        return;
      }
      const auto *P = Parents[0].get<Stmt>();
      if (!P)
        return;
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(P);
          Cast && Cast->getType()->isVoidType()) {
        Child = Cast;
        continue;
      }
      if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              FullExpr, ParenExpr>(P)) {
        Child = cast<Expr>(P);
        continue;
      }
      if (isa<Expr, ReturnStmt, CoreturnStmt, DeclStmt>(P))
        return;
      X.Out.Findings.push_back({X.location(CE->getExprLoc()),
                                "vinyl-unawaited-task",
                                What + " is discarded without co_await, so it "
                                       "never runs"});
      return;
    }
  }

  /// Lock variables in scope at the current point of the function; the
  /// sizes of that list where each open block began; those of the
  /// enclosing functions.
  std::vector<const VarDecl *> Locks;
  SmallVector<size_t, 16> BlockStarts;
  SmallVector<std::vector<const VarDecl *>, 4> Outer;
  /// Variables initialised with a task in a coroutine and not used since.
  MapVector<const VarDecl *, Finding> UnusedTasks;
};

} // namespace

std::unique_ptr<Facet> makeMisuseFacet(ExtractContext &X) {
  return std::make_unique<MisuseFacet>(X);
}

} // namespace vinyl::extract
