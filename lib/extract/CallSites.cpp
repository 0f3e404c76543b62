//===- CallSites.cpp - What a call means for conversion, from the AST -----===//
//
// Small, stateless queries over one call or one function. They look only at
// what the source says (the AST after Sema), never at other translation
// units, so the clang-tidy checks can answer them while the user types.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"

using namespace clang;
using namespace llvm;

namespace vinyl {

const LeafRule *findLeaf(const Config &C, const FunctionDecl &Callee) {
  if (const LeafRule *Leaf = C.findLeaf(Callee.getQualifiedNameAsString()))
    return Leaf;
  // A member of a class template matches by the template's name
  // (`lib::stream::read`) whatever the instantiation (`lib::stream<int>`).
  const FunctionDecl *Pattern = Callee.getTemplateInstantiationPattern();
  if (!Pattern)
    if (const auto *M = dyn_cast<CXXMethodDecl>(&Callee))
      Pattern = M->getInstantiatedFromMemberFunction();
  if (!Pattern || Pattern == &Callee)
    return nullptr;
  return C.findLeaf(Pattern->getQualifiedNameAsString());
}

/// Configured names may be written with a leading "::".
static bool sameName(StringRef Configured, StringRef Qualified) {
  Configured.consume_front("::");
  return Configured == Qualified;
}

bool isBlockOn(const Config &C, const FunctionDecl &Callee) {
  return sameName(C.BlockOn, Callee.getQualifiedNameAsString());
}

bool isTaskType(QualType T, ArrayRef<std::string> TaskTypes) {
  if (T.isNull())
    return false;
  std::string Name;
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    Name = RD->getQualifiedNameAsString();
  else if (const auto *TST = T->getAs<TemplateSpecializationType>())
    // A dependent task<T> in a template pattern names only its template.
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
      Name = TD->getQualifiedNameAsString();
  if (Name.empty())
    return false;
  return llvm::any_of(TaskTypes,
                      [&](const std::string &N) { return sameName(N, Name); });
}

/// The call a wait or a facade body hands on, through what the AST adds
/// around a prvalue passed by value (temporaries, cleanups, moves).
static const CallExpr *underlyingCall(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
      Construct && Construct->getNumArgs() == 1)
    E = Construct->getArg(0)->IgnoreImplicit()->IgnoreParens();
  return dyn_cast<CallExpr>(E);
}

static bool firstParameterIs(const FunctionDecl &FD, StringRef Tag) {
  if (FD.getNumParams() == 0)
    return false;
  const CXXRecordDecl *Type =
      FD.getParamDecl(0)->getType()->getAsCXXRecordDecl();
  return Type && Type->getQualifiedNameAsString() == Tag;
}

bool isTwinTag(const FunctionDecl &FD) {
  return firstParameterIs(FD, "vinyl::twin_t");
}

bool isSlowTag(const FunctionDecl &FD) {
  return firstParameterIs(FD, "vinyl::slow_t");
}

/// `if (vinyl::runs_blocking()) return f(vinyl::twin, ...);`, the first
/// statement of a facade whose function has a synchronous twin.
static bool isTwinDispatch(const Stmt *S) {
  const auto *If = dyn_cast<IfStmt>(S);
  if (!If || If->getElse() || If->getInit() || If->getConditionVariable())
    return false;
  const auto *Check = dyn_cast<CallExpr>(If->getCond()->IgnoreImplicit());
  const FunctionDecl *Callee = Check ? Check->getDirectCallee() : nullptr;
  return Callee && Callee->getQualifiedNameAsString() == "vinyl::runs_blocking";
}

const CallExpr *facadeTwinCall(const Config &C, const FunctionDecl &FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD.getBody());
  if (!Body || Body->size() == 0 || Body->size() > 2)
    return nullptr;
  if (Body->size() == 2 && !isTwinDispatch(Body->body_front()))
    return nullptr;
  const Stmt *Only = Body->body_back();
  const Expr *Value = dyn_cast<Expr>(Only);
  if (const auto *Return = dyn_cast<ReturnStmt>(Only))
    Value = Return->getRetValue();
  const CallExpr *Wait = underlyingCall(Value);
  if (!Wait || Wait->getNumArgs() != 1)
    return nullptr;
  const FunctionDecl *Waiter = Wait->getDirectCallee();
  if (!Waiter || !isBlockOn(C, *Waiter))
    return nullptr;
  const CallExpr *Twin = underlyingCall(Wait->getArg(0));
  if (!Twin || !Twin->getDirectCallee())
    return nullptr;
  return Twin;
}

bool forwardsParameters(const FunctionDecl &Facade, const CallExpr &TwinCall) {
  if (TwinCall.getNumArgs() != Facade.getNumParams())
    return false;
  for (unsigned I = 0, N = TwinCall.getNumArgs(); I != N; ++I) {
    const Expr *Arg = TwinCall.getArg(I)->IgnoreImplicit()->IgnoreParens();
    // A by-value class parameter is copy- or move-constructed from it.
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(Arg);
        Construct && Construct->getNumArgs() == 1 &&
        Construct->getConstructor()->isCopyOrMoveConstructor())
      Arg = Construct->getArg(0)->IgnoreImplicit()->IgnoreParens();
    if (const auto *Move = dyn_cast<CallExpr>(Arg)) {
      const FunctionDecl *Callee = Move->getDirectCallee();
      if (!Callee || !Callee->isInStdNamespace() || Move->getNumArgs() != 1 ||
          Callee->getName() != "move")
        return false;
      Arg = Move->getArg(0)->IgnoreImplicit()->IgnoreParens();
    }
    const auto *Ref = dyn_cast<DeclRefExpr>(Arg);
    if (!Ref || Ref->getDecl() != Facade.getParamDecl(I))
      return false;
  }
  return true;
}

const Stmt *skipImplicitParents(const Expr *E, ASTContext &Ctx,
                                const Expr *&Child) {
  Child = E;
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(*Child);
    if (Parents.empty())
      return nullptr;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P)
      return nullptr;
    if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            FullExpr>(P)) {
      Child = cast<Expr>(P);
      continue;
    }
    return P;
  }
}

bool awaitNeedsParens(const Expr *Call, ASTContext &Ctx) {
  const Expr *Child;
  const Stmt *P = skipImplicitParents(Call, Ctx, Child);
  if (!P)
    return false;
  if (const auto *M = dyn_cast<MemberExpr>(P))
    return M->getBase() == Child;
  // In a template: `word().size()` whose member is looked up per instance.
  if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(P))
    return !M->isImplicitAccess() && M->getBase() == Child;
  if (const auto *M = dyn_cast<UnresolvedMemberExpr>(P))
    return !M->isImplicitAccess() && M->getBase() == Child;
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(P))
    return A->getLHS() == Child;
  if (const auto *U = dyn_cast<UnaryOperator>(P))
    return U->isPostfix();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (Op->getNumArgs() == 0 || Op->getArg(0) != Child)
      return false;
    switch (Op->getOperator()) {
    case OO_Subscript:
    case OO_Call:
    case OO_Arrow:
      return true;
    case OO_PlusPlus:
    case OO_MinusMinus:
      return Op->getNumArgs() == 2; // postfix form
    default:
      return false;
    }
  }
  if (const auto *C = dyn_cast<CallExpr>(P))
    return C->getCallee() == Child;
  return false;
}

std::string functionId(const FunctionDecl &FD) {
  const FunctionDecl *D = &FD;
  if (const FunctionDecl *Pattern = D->getTemplateInstantiationPattern())
    D = Pattern;
  D = D->getCanonicalDecl();
  SmallString<128> USR;
  if (index::generateUSRForDecl(D, USR))
    return "unnamed:" + D->getQualifiedNameAsString();
  // Lambdas of one inline function or template share a USR (two on one
  // line, or any two in a template): where each is written tells them
  // apart, the same way in every TU.
  if (isLambdaCallOperator(D)) {
    const SourceManager &SM = D->getASTContext().getSourceManager();
    SourceLocation Where =
        SM.getExpansionLoc(cast<CXXMethodDecl>(D)->getParent()->getLocation());
    USR += "@L" + std::to_string(SM.getFileOffset(Where));
  }
  return std::string(USR);
}

} // namespace vinyl
