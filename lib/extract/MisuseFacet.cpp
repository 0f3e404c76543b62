//===- MisuseFacet.cpp - Coroutines used in ways that go wrong ------------===//
//
// What one TU shows on its own to be wrong, or about to be, with code
// that awaits:
//  - a task that is never awaited (dropped, or stored and never touched),
//    which never runs, because tasks are lazy: a --check finding.
// (A lock held across an await: SyncFacet.cpp.)
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class MisuseFacet : public Facet {
public:
  using Facet::Facet;

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

  /// Variables initialised with a task in a coroutine and not used since.
  MapVector<const VarDecl *, Finding> UnusedTasks;
};

} // namespace

std::unique_ptr<Facet> makeMisuseFacet(ExtractContext &X) {
  return std::make_unique<MisuseFacet>(X);
}

} // namespace vinyl::extract
