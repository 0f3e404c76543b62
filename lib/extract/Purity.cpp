//===- Purity.cpp - Expressions that may be evaluated again ---------------===//
//
// See Purity.h.
//
//===----------------------------------------------------------------------===//
#include "Purity.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace vinyl::extract {

/// Whether evaluating \p E twice in a row gives the same values and
/// changes nothing.
static bool pure(const Expr *E, unsigned Depth);
static bool pureCall(const CallExpr &Call, unsigned Depth);

static bool pure(const Expr *E, unsigned Depth) {
  if (!E)
    return true;
  E = E->IgnoreParens();
  // No type yet: `Box<T> b(item);` in a template is a ParenListExpr, whose
  // constructor is not known.
  if (E->getType().isNull() || E->getType().isVolatileQualified())
    return false;
  if (isa<DeclRefExpr, IntegerLiteral, FloatingLiteral, CharacterLiteral,
          clang::StringLiteral, CXXBoolLiteralExpr, CXXNullPtrLiteralExpr,
          CXXThisExpr, UnaryExprOrTypeTraitExpr, SizeOfPackExpr>(E))
    return true;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return pure(ME->getBase(), Depth);
  // In a template: `s.pos` of a dependent `s`, `T::limit`.
  if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(E))
    return DM->isImplicitAccess() || pure(DM->getBase(), Depth);
  if (isa<DependentScopeDeclRefExpr>(E))
    return true;
  if (const auto *CE = dyn_cast<CastExpr>(E))
    return CE->getCastKind() != CK_UserDefinedConversion &&
           CE->getCastKind() != CK_ConstructorConversion &&
           pure(CE->getSubExpr(), Depth);
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return !UO->isIncrementDecrementOp() && UO->getOpcode() != UO_Coawait &&
           pure(UO->getSubExpr(), Depth);
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return !BO->isAssignmentOp() && pure(BO->getLHS(), Depth) &&
           pure(BO->getRHS(), Depth);
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E))
    return pure(CO->getCond(), Depth) && pure(CO->getTrueExpr(), Depth) &&
           pure(CO->getFalseExpr(), Depth);
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return pure(AS->getLHS(), Depth) && pure(AS->getRHS(), Depth);
  if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
    return pure(MT->getSubExpr(), Depth);
  if (const auto *EC = dyn_cast<ExprWithCleanups>(E))
    return pure(EC->getSubExpr(), Depth);
  if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(E))
    return pure(DA->getExpr(), Depth);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getConstructor()->isTrivial() &&
           llvm::all_of(CE->arguments(),
                        [&](const Expr *A) { return pure(A, Depth); });
  // `int c{0};`, `int c{};`.
  if (const auto *List = dyn_cast<InitListExpr>(E))
    return llvm::all_of(List->inits(),
                        [&](const Expr *I) { return pure(I, Depth); });
  if (isa<ImplicitValueInitExpr>(E))
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return pureCall(*Call, Depth);
  return false;
}

static bool pureCall(const CallExpr &Call, unsigned Depth) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD || !llvm::all_of(Call.arguments(),
                           [&](const Expr *A) { return pure(A, Depth); }))
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(&Call);
      MC && !pure(MC->getImplicitObjectArgument(), Depth))
    return false;
  if (FD->hasAttr<PureAttr>() || FD->hasAttr<ConstAttr>())
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (MD && MD->isVirtual())
    return false;
  // The standard library's observers: `size()`, `empty()`, `==`.
  if (FD->isInStdNamespace())
    return MD ? MD->isConst()
              : llvm::all_of(FD->parameters(), [](const ParmVarDecl *P) {
                  QualType T = P->getType();
                  return !T->isReferenceType() ||
                         T->getPointeeType().isConstQualified();
                });
  // An accessor: `bool empty() const { return pos_ == len_; }`.
  const FunctionDecl *Def = nullptr;
  if (Depth >= 3 || !FD->hasBody(Def))
    return false;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  const auto *Ret = Body && Body->size() == 1
                        ? dyn_cast<ReturnStmt>(Body->body_front())
                        : nullptr;
  return Ret && Ret->getRetValue() && pure(Ret->getRetValue(), Depth + 1);
}

bool isPure(const Expr *E) { return pure(E, 0); }

bool isPureDeclaration(const Decl *D) {
  const auto *VD = dyn_cast<VarDecl>(D);
  if (!VD)
    return isa<TypedefNameDecl, UsingDecl, UsingDirectiveDecl>(D);
  return !VD->isStaticLocal() && VD->getType().isDestructedType() ==
                                     QualType::DK_none &&
         !VD->getType().isVolatileQualified() && isPure(VD->getInit());
}

} // namespace vinyl::extract
