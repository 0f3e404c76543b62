//===- FastPathFacet.cpp - Where a definition may be split ----------------===//
//
// A buffered reader's `get_byte` waits only when its buffer is empty: `if
// (pos == len && !refill()) return -1;` guards every wait. Such a function
// can be split (fast_paths) into a plain half that returns its value at
// once when the guard is false and hands the call to the coroutine when it
// is true. What the plain half evaluates before the hand-over is run again
// by the coroutine, so it must have no side effects: declarations of
// trivially destructible variables and the guard itself, each free of
// assignments, increments, volatile reads and calls other than those known
// to only read (a const member of the standard library, a function marked
// pure or const, an accessor whose body is one such `return`).
//
// This records the shape (FastPathFact); whether every await lies in the
// cold part is known only once the solver has coloured the callees.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "vinyl-asyncify/facts/Format.h"
#include "clang/AST/Attr.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class FastPathFacet : public Facet {
public:
  using Facet::Facet;

  void functionDecl(const FunctionDecl &FD) override {
    if (!FD.doesThisDeclarationHaveABody() || FD.isTemplateInstantiation())
      return;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(FD.getBody());
    if (!Body || !X.isWritableLoc(Body->getBeginLoc()))
      return;
    FunctionFact &F = X.fact(&FD);
    F.FastPath = analyse(*Body);
    if (F.FastPath.Problem.empty())
      ReturnsVoid[&FD] = FD.getReturnType()->isVoidType();
  }

  /// The plain half of a function returning void writes `return {};`:
  /// a `return f();` of a void call outside the cold part cannot be.
  void returnStmt(const ReturnStmt &RS) override {
    const FunctionDecl *FD = X.currentFunction();
    auto Void = FD ? ReturnsVoid.find(FD) : ReturnsVoid.end();
    if (Void == ReturnsVoid.end() || !Void->second || !RS.getRetValue())
      return;
    FunctionFact &F = X.fact(FD);
    std::string Problem;
    Anchor At = X.fileAnchor(RS.getSourceRange(), Problem);
    if (F.FastPath.Cold.contains(At))
      return;
    F.FastPath = {};
    F.FastPath.Problem = fmt::format(
        "it returns a void expression at line {}", X.lineOf(&RS));
  }

private:
  FastPathFact analyse(const CompoundStmt &Body) {
    FastPathFact P;
    // No `if` at all says more than the first statement that is no
    // declaration free of side effects.
    if (llvm::none_of(Body.body(),
                      [](const Stmt *S) { return isa<IfStmt>(S); })) {
      P.Problem = "its body has no 'if' to split at";
      return P;
    }
    const IfStmt *If = nullptr;
    for (const Stmt *S : Body.body()) {
      if ((If = dyn_cast<IfStmt>(S)))
        break;
      const auto *DS = dyn_cast<DeclStmt>(S);
      if (!DS || !llvm::all_of(DS->decls(), [&](const Decl *D) {
            return pureDeclaration(D);
          })) {
        P.Problem = fmt::format("its statement at line {} comes before any "
                                "'if' and may have side effects",
                                X.lineOf(S));
        return P;
      }
    }
    if (!If) {
      P.Problem = "its body has no 'if' to split at";
      return P;
    }
    if (If->getInit() || If->getConditionVariable() || If->isConstexpr() ||
        If->isConsteval()) {
      P.Problem = fmt::format("its 'if' at line {} declares a variable or "
                              "is constexpr",
                              X.lineOf(If));
      return P;
    }
    // The guard: the whole condition, or the longest operand of && on
    // its left that is free of side effects.
    const Expr *Cond = If->getCond();
    const Expr *Guard = Cond;
    while (Guard && !pure(Guard)) {
      const auto *And = dyn_cast<BinaryOperator>(Guard->IgnoreParens());
      Guard = And && And->getOpcode() == BO_LAnd ? And->getLHS() : nullptr;
    }
    if (!Guard) {
      P.Problem = fmt::format("the condition of its 'if' at line {} may "
                              "have side effects before any '&&'",
                              X.lineOf(If));
      return P;
    }
    std::string Problem;
    Anchor G = X.fileAnchor(Guard->getSourceRange(), Problem);
    Anchor C = X.fileAnchor(Cond->getSourceRange(), Problem);
    P.Then = X.fileAnchor(If->getThen()->getSourceRange(), Problem);
    if (!Problem.empty() || G.File != P.Then.File || C.File != G.File) {
      P = {};
      P.Problem = fmt::format("its 'if' at line {} is written by a macro",
                              X.lineOf(If));
      return P;
    }
    unsigned GuardEnd = G.Offset + G.Length;
    P.Drop = {G.File, GuardEnd, C.Offset + C.Length - GuardEnd};
    if (P.Drop.Length == 0)
      P.Drop = {};
    P.Cold = {G.File, GuardEnd, P.Then.Offset + P.Then.Length - GuardEnd};
    return P;
  }

  /// `int n = s.size();`, `const char *p = buf + pos;`: nothing to undo.
  bool pureDeclaration(const Decl *D) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD)
      return isa<TypedefNameDecl, UsingDecl, UsingDirectiveDecl>(D);
    return !VD->isStaticLocal() && VD->getType().isDestructedType() ==
                                       QualType::DK_none &&
           !VD->getType().isVolatileQualified() && pure(VD->getInit());
  }

  /// Whether evaluating \p E twice in a row gives the same values and
  /// changes nothing.
  bool pure(const Expr *E, unsigned Depth = 0) {
    if (!E)
      return true;
    E = E->IgnoreParens();
    if (E->getType().isVolatileQualified())
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
    if (const auto *Call = dyn_cast<CallExpr>(E))
      return pureCall(*Call, Depth);
    return false;
  }

  bool pureCall(const CallExpr &Call, unsigned Depth) {
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

  /// Functions with a guard, and whether they return void.
  DenseMap<const FunctionDecl *, bool> ReturnsVoid;
};

} // namespace

std::unique_ptr<Facet> makeFastPathFacet(ExtractContext &X) {
  return std::make_unique<FastPathFacet>(X);
}

} // namespace vinyl::extract
