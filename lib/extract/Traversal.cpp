//===- Traversal.cpp - One walk of a translation unit for every facet -----===//
//
// The only RecursiveASTVisitor of extraction over the paths' code. It owns
// what follows the shape of the tree rather than any one concern:
//  - which code is walked: declarations under the paths (nothing outside
//    is ever rewritten), and, after a template, the bodies of its
//    instantiations, whose calls through template parameters resolve only
//    there and are recorded as the pattern's;
//  - which function a node belongs to (a lambda body is a function of its
//    own);
//  - where the language forbids co_await (unevaluated operands, default
//    arguments, static local initialisers, catch handlers).
// Each node is shown to the facets in order (ExtractContext.h).
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class Traversal : public RecursiveASTVisitor<Traversal> {
public:
  explicit Traversal(ExtractContext &X) : X(X) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // Namespaces and linkage specs span files; anything else outside the
    // paths is never rewritten, so its body is not worth walking.
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl>(D) &&
        !X.isWritableLoc(D->getLocation()))
      return true;
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD)
      return RecursiveASTVisitor::TraverseDecl(D);
    InFunction Scope(*this, FD);
    if (!RecursiveASTVisitor::TraverseDecl(D))
      return false;
    if (X.InInstantiation || !FD->isTemplated() ||
        !FD->doesThisDeclarationHaveABody())
      return true;
    // A call a template makes through its parameters (`sink.put(...)`,
    // `stream_.get(...)`) is dependent in the pattern and resolved only in
    // each instantiation. Their bodies share the pattern's text, so their
    // calls are recorded as the pattern's; nothing else is (the pattern
    // has the declarations, returns and lambdas).
    forEachInstantiation(FD, [&](const FunctionDecl *Spec) {
      SaveAndRestore Guard(X.InInstantiation, true);
      InFunction Scope(*this, FD);
      TraverseStmt(Spec->getBody());
    });
    return true;
  }

  bool TraverseCompoundStmt(CompoundStmt *S) {
    for (Facet *F : X.Facets)
      F->enterBlock();
    bool Result = RecursiveASTVisitor::TraverseCompoundStmt(S);
    for (Facet *F : X.Facets)
      F->leaveBlock();
    return Result;
  }

  /// `co_await` is not allowed in a catch handler, so a call there that
  /// must be awaited cannot be rewritten in place.
  bool TraverseCXXCatchStmt(CXXCatchStmt *S) {
    ++X.CatchDepth.back();
    bool Result = RecursiveASTVisitor::TraverseCXXCatchStmt(S);
    --X.CatchDepth.back();
    return Result;
  }

  /// A lambda body is a function of its own: its calls are its call
  /// operator's, not the enclosing function's.
  bool TraverseLambdaExpr(LambdaExpr *E) {
    // An init-capture is evaluated where the lambda is made: its calls are
    // the enclosing function's, awaited there (`[d = co_await get(fd)]`).
    for (const LambdaCapture &C : E->captures())
      if (E->isInitCapture(&C))
        if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar());
            VD && VD->getInit() &&
            !TraverseStmt(const_cast<Expr *>(VD->getInit())))
          return false;
    if (X.InInstantiation)
      return traverseInstantiatedLambda(E);
    const CXXMethodDecl *Op = E->getCallOperator();
    PatternLambdas[E->getBeginLoc()] = Op;
    for (Facet *F : X.Facets)
      F->lambda(*E);
    InFunction Scope(*this, Op);
    return RecursiveASTVisitor::TraverseLambdaExpr(E);
  }

  /// Init-captures are the enclosing function's (above).
  bool TraverseLambdaCapture(LambdaExpr *E, const LambdaCapture *C,
                             Expr *Init) {
    if (E->isInitCapture(C))
      return true;
    return RecursiveASTVisitor::TraverseLambdaCapture(E, C, Init);
  }

  /// A lambda in an instantiation of a template: its calls (dependent in
  /// the pattern) are the pattern lambda's.
  bool traverseInstantiatedLambda(LambdaExpr *E) {
    auto It = PatternLambdas.find(E->getBeginLoc());
    if (It == PatternLambdas.end())
      return true;
    const CXXMethodDecl *Pattern = It->second;
    for (Facet *F : X.Facets)
      F->instantiatedLambda(*E, *Pattern);
    InFunction Scope(*this, Pattern);
    return TraverseStmt(E->getBody());
  }

  /// Contexts where a call cannot be awaited: unevaluated operands (the
  /// type would change), default arguments and static local initialisers
  /// (co_await is not allowed there).
  static constexpr const char *Unevaluated =
      "it is in an unevaluated operand, whose type would change";
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc TL, bool TraverseQualifier) {
    Forbidden F(X, Unevaluated);
    return RecursiveASTVisitor::TraverseDecltypeTypeLoc(TL, TraverseQualifier);
  }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *E) {
    Forbidden F(X, Unevaluated);
    return RecursiveASTVisitor::TraverseUnaryExprOrTypeTraitExpr(E);
  }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *E) {
    Forbidden F(X, Unevaluated);
    return RecursiveASTVisitor::TraverseCXXNoexceptExpr(E);
  }
  bool TraverseParmVarDecl(ParmVarDecl *D) {
    Forbidden F(X, "it is in a default argument, where co_await is not "
                   "allowed");
    return RecursiveASTVisitor::TraverseParmVarDecl(D);
  }
  bool TraverseVarDecl(VarDecl *D) {
    if (!D->isStaticLocal())
      return RecursiveASTVisitor::TraverseVarDecl(D);
    Forbidden F(X, "it initialises a static local variable, where co_await "
                   "is not allowed");
    return RecursiveASTVisitor::TraverseVarDecl(D);
  }

  /// The calls a range-for makes for its iteration (begin, end, !=, ++,
  /// *) are implicit code, which the walk does not otherwise see. They
  /// cannot be awaited: what they call stays synchronous (the solver pins
  /// it).
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
    if (!RecursiveASTVisitor::TraverseCXXForRangeStmt(S))
      return false;
    Forbidden F(X, "it is a call a range-for makes for its iteration "
                   "(begin, end, !=, ++ or *), which cannot be awaited; "
                   "write the loop with the iterator");
    SaveAndRestore Implicit(X.InRangeForIteration, true);
    auto Init = [](Stmt *D) -> Expr * {
      const auto *DS = dyn_cast_or_null<DeclStmt>(D);
      const auto *VD = DS && DS->isSingleDecl()
                           ? dyn_cast<VarDecl>(DS->getSingleDecl())
                           : nullptr;
      return VD ? const_cast<Expr *>(VD->getInit()) : nullptr;
    };
    for (Stmt *Part :
         {static_cast<Stmt *>(Init(S->getBeginStmt())),
          static_cast<Stmt *>(Init(S->getEndStmt())),
          static_cast<Stmt *>(S->getCond()), static_cast<Stmt *>(S->getInc()),
          static_cast<Stmt *>(Init(S->getLoopVarStmt()))})
      if (Part && !TraverseStmt(Part))
        return false;
    return true;
  }

  /// C++20 writes `a != b` as `!(a == b)`, `b == a` as `a == b` and
  /// `a < b` as `(a <=> b) < 0`: the call is in the semantic form, which a
  /// walk of the code as written does not reach. It is shown here, as the
  /// comparison written, before the operands.
  bool TraverseCXXRewrittenBinaryOperator(CXXRewrittenBinaryOperator *E) {
    if (auto *Inner = dyn_cast<CallExpr>(
            const_cast<Expr *>(E->getDecomposedForm().InnerBinOp))) {
      SaveAndRestore<const CXXRewrittenBinaryOperator *> Written(X.Rewritten,
                                                                 E);
      VisitCallExpr(Inner);
    }
    return RecursiveASTVisitor::TraverseCXXRewrittenBinaryOperator(E);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->isImplicit() || isa<CXXDeductionGuideDecl>(FD))
      return true;
    return show(&Facet::functionDecl, *FD);
  }

  bool VisitVarDecl(VarDecl *VD) { return show(&Facet::varDecl, *VD); }
  bool VisitUsingDecl(UsingDecl *UD) { return show(&Facet::usingDecl, *UD); }
  bool VisitFieldDecl(FieldDecl *FD) { return show(&Facet::fieldDecl, *FD); }
  bool VisitReturnStmt(ReturnStmt *RS) {
    return show(&Facet::returnStmt, *RS);
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *CE) {
    return show(&Facet::memberCall, *CE);
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    return show(&Facet::operatorCall, *E);
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    return show(&Facet::construct, *E);
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) { return show(&Facet::declRef, *E); }
  bool VisitMemberExpr(MemberExpr *E) { return show(&Facet::memberExpr, *E); }
  bool VisitExpr(Expr *E) { return show(&Facet::expr, *E); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
    return show(&Facet::forRange, *S);
  }

  /// Aliases are declarations, never part of an instantiation's body.
  bool VisitTypedefNameDecl(TypedefNameDecl *TD) {
    for (Facet *F : X.Facets)
      F->typedefNameDecl(*TD);
    return true;
  }

  bool VisitCoawaitExpr(CoawaitExpr *E) {
    X.Awaited.insert(E->getOperand()->IgnoreImplicit());
    return true;
  }

  /// Calls are shown in instantiations too: that is where calls through a
  /// template parameter resolve.
  bool VisitCallExpr(CallExpr *CE) {
    X.CalleeRefs.insert(CE->getCallee()->IgnoreParenImpCasts());
    for (Facet *F : X.Facets)
      if (F->call(*CE))
        break;
    return true;
  }

private:
  /// Shows \p N to every facet's \p Hook, in the code as written (an
  /// instantiation's nodes other than calls are the pattern's).
  template <typename Node>
  bool show(void (Facet::*Hook)(const Node &), const Node &N) {
    if (!X.InInstantiation)
      for (Facet *F : X.Facets)
        (F->*Hook)(N);
    return true;
  }

  /// Marks the calls in a subtree as impossible to await, innermost first.
  struct Forbidden {
    Forbidden(ExtractContext &X, const char *Why) : X(X) {
      X.ForbiddenWhy.push_back(Why);
    }
    ~Forbidden() { X.ForbiddenWhy.pop_back(); }
    ExtractContext &X;
  };

  /// The calls, returns and variables of a subtree belong to \p FD; what
  /// forbids co_await around a lambda does not reach into its body.
  struct InFunction {
    InFunction(Traversal &T, const FunctionDecl *FD) : X(T.X) {
      X.Stack.push_back(FD);
      X.CatchDepth.push_back(0);
      Outer.swap(X.ForbiddenWhy);
      for (Facet *F : X.Facets)
        F->enterFunction();
    }
    ~InFunction() {
      for (Facet *F : X.Facets)
        F->leaveFunction();
      X.Stack.pop_back();
      X.CatchDepth.pop_back();
      Outer.swap(X.ForbiddenWhy);
    }
    ExtractContext &X;
    std::vector<std::string> Outer;
  };

  ExtractContext &X;
  /// Lambdas of patterns by where they are written, for their instances.
  DenseMap<SourceLocation, const CXXMethodDecl *> PatternLambdas;
};

} // namespace

void traverse(ExtractContext &X) {
  Traversal(X).TraverseAST(X.Ctx);
  for (Facet *F : X.Facets)
    F->finish();
}

} // namespace vinyl::extract
