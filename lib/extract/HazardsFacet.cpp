//===- HazardsFacet.cpp - What g++ gets wrong next to co_await ------------===//
//
// g++ (12.2 tested; see docs/conversion.md) mishandles some full-
// expressions that suspend. Each call that may become a co_await is checked
// against the known cases, when the target compiler is g++ or unknown;
// where a rewrite keeps the meaning its edits go on the call, otherwise the
// call carries the problem and the fix:
//  - an await in an operand that may be skipped (a branch of ?:, the right
//    of && or ||) is evaluated even when it is skipped, except in a
//    variable's initialiser or an if condition: a loop's condition becomes
//    an if's, a statement becomes an if around copies of itself
//    (Lowering.h);
//  - a class temporary made by ?: is destroyed twice: lowered the same way;
//  - class objects made in an operand that may be skipped are made before
//    the first await, even when the operand is skipped: the operand
//    becomes a lambda called in place (LowerSkipped.cpp);
//  - a co_await inside a braced initializer list does not compile ("array
//    used as initializer"): refused (unless it is the C++11 pack idiom,
//    which becomes a fold);
//  - nor does one in a full-expression that builds a std::initializer_list
//    elsewhere, and a braced aggregate of a class with a destructor is
//    destroyed twice: the list or the aggregate goes first, into a
//    variable (LowerHoist.cpp), or the call is refused saying why;
//  - the co_awaits of a full-expression are evaluated before the rest of
//    it: where the original evaluated something with side effects first,
//    the operands go first, in the original's order, each into a variable
//    (LowerOrder.cpp), or the call is refused saying why.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"
#include "Lowering.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class HazardsFacet : public Facet {
public:
  explicit HazardsFacet(ExtractContext &X) : Facet(X), Lowerer(X) {}

  void annotate(const Expr &E, CallFact &C) override {
    if (!X.Cfg.Compiler.needsGccWorkarounds())
      return;
    if (C.Problem.empty() && inInitializerList(&E)) {
      C.Problem = "it is in a braced initializer list, where g++ 12 cannot "
                  "compile co_await; hoist it into a variable";
      // The C++11 way to run a call per pack element: a fold says it.
      std::string Why;
      if (std::optional<Lowering> L =
              Lowerer.foldInitializerList(fullExpression(&E), &E, Why)) {
        C.Lowerings.push_back(std::move(*L));
        C.Problem.clear();
        return;
      }
    }
    if (C.Kind == CallKind::AddressTaken || !C.Problem.empty())
      return;
    dropNegationUnderVoidCast(&E, C);
    bool Skippable = false;
    const Expr *Full = fullExpression(&E, &Skippable);
    bool Temporary = false, Aggregate = false, List = false;
    C.Problem = fullExpressionProblem(Full, Temporary, Aggregate, List);
    if (List) {
      // The braced list goes first, into a variable.
      std::string Why;
      if (std::optional<Lowering> L =
              Lowerer.hoistInitializerLists(Full, &E, Why)) {
        C.Lowerings.push_back(std::move(*L));
        C.Problem.clear();
      } else {
        C.Problem += " (it cannot be done here: " + Why + ")";
      }
      return;
    }
    if (Aggregate) {
      // The awaited calls go first, each into a variable.
      std::string Why;
      if (std::optional<Lowering> L = Lowerer.hoistAwaits(Full, &E, Why)) {
        C.Lowerings.push_back(std::move(*L));
        C.Problem.clear();
      } else {
        C.Problem += " (it cannot be done here: " + Why + ")";
      }
      return;
    }
    if (!C.Problem.empty() && !Temporary)
      return;
    // Class objects made where an operand may be skipped: each such
    // operand becomes a lambda called in place.
    if (std::string Why;
        !Lowerer.wrapSkippedTemporaries(Full, &E, C.AwaitEdits, Why)) {
      C.Problem = "an operand that may be skipped (the right of && or ||, a "
                  "branch of ?:) makes a class object, which g++ 12 makes "
                  "before the awaits of its full-expression even when the "
                  "operand is skipped, and " +
                  Why +
                  "; move the awaited call into a variable before the "
                  "statement";
      return;
    }
    if (C.Problem.empty() && (!Skippable || skippableFine(Full, C))) {
      keepOrder(&E, Full, C);
      return;
    }
    // A ?: temporary or an await that may be skipped: the statement
    // becomes an if.
    std::string Why;
    if (std::optional<Lowering> L = Lowerer.statement(Full, &E, Why)) {
      C.Lowerings.push_back(std::move(*L));
      C.Problem.clear();
      return;
    }
    if (C.Problem.empty())
      C.Problem = "it is in a branch of ?: or the right of && or ||, which "
                  "g++ evaluates even when it is skipped, and the statement "
                  "cannot be made an if (" +
                  Why +
                  "); move the expression into a variable's initialiser or "
                  "an if condition";
  }

private:
  StatementLowerer Lowerer;

  /// g++ 12 evaluates the co_awaits of a full-expression first: where the
  /// original evaluated something with side effects before the call,
  /// the operands go first, in order, each into a variable
  /// (LowerOrder.cpp).
  void keepOrder(const Expr *E, const Expr *Full, CallFact &C) {
    if (!Lowerer.evaluatedAfterEffects(E, Full))
      return;
    std::string Why;
    if (std::optional<Lowering> L = Lowerer.hoistInOrder(Full, E, Why)) {
      C.Lowerings.push_back(std::move(*L));
      return;
    }
    C.Problem = "g++ 12 would evaluate the co_await it becomes before what "
                "the original evaluated first in its expression, which has "
                "side effects, and the statement cannot be rearranged (" +
                Why +
                "); move the call into a variable before the statement";
  }

  /// `(void)!write(fd, b, n);`, the idiom that silences warn_unused_result:
  /// g++ 12 warns that the value of `!co_await ...` is not used (an error
  /// under -Werror), though it is cast to void. The `!` goes; negating a
  /// built-in value has no effect of its own.
  void dropNegationUnderVoidCast(const Expr *E, CallFact &C) {
    const Expr *Child;
    const auto *Not = dyn_cast_or_null<UnaryOperator>(
        skipImplicitParents(E, X.Ctx, Child));
    if (!Not || Not->getOpcode() != UO_LNot)
      return;
    const Expr *NotChild;
    const auto *Cast = dyn_cast_or_null<ExplicitCastExpr>(
        skipImplicitParents(Not, X.Ctx, NotChild));
    SourceLocation Op = Not->getOperatorLoc();
    if (!Cast || !Cast->getType()->isVoidType() || !Op.isFileID() ||
        !X.isWritableLoc(Op))
      return;
    C.AwaitEdits.push_back(
        {X.anchor(CharSourceRange::getCharRange(Op, Op.getLocWithOffset(1))),
         ""});
  }

  /// Whether \p E is inside a std::initializer_list's braces, in the same
  /// function (a lambda's body is not).
  bool inInitializerList(const Expr *E) {
    DynTypedNode Node = DynTypedNode::create(*E);
    for (;;) {
      DynTypedNodeList Parents = X.Ctx.getParents(Node);
      if (Parents.empty())
        return false;
      const DynTypedNode &P = Parents[0];
      if (const auto *S = P.get<Stmt>()) {
        if (isa<CXXStdInitializerListExpr>(S))
          return true;
        if (isa<LambdaExpr>(S))
          return false;
      } else if (!P.get<VarDecl>()) {
        return false;
      }
      Node = P;
    }
  }

  /// The outermost expression around \p E; \p Skippable tells whether E
  /// is in an operand that may not be evaluated (a branch of ?:, the right
  /// of && or ||).
  const Expr *fullExpression(const Expr *E, bool *Skippable = nullptr) {
    const Expr *Full = E;
    for (;;) {
      DynTypedNodeList Parents = X.Ctx.getParents(*Full);
      const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
      if (!P)
        return Full;
      if (const auto *C = dyn_cast<AbstractConditionalOperator>(P);
          C && Skippable)
        *Skippable |= C->getCond() != Full;
      if (const auto *B = dyn_cast<BinaryOperator>(P); B && Skippable)
        *Skippable |= B->isLogicalOp() && B->getRHS() == Full;
      Full = P;
    }
  }

  /// g++ 12.2 evaluates a co_await in an operand that may be skipped even
  /// when it is skipped, except where the expression initialises a
  /// variable or is the condition of an `if` (tested case by case: a
  /// co_return, an argument, an assignment and loop conditions go wrong).
  /// Those stay as written; a `while`, `for` or `do` loop's condition
  /// becomes an if's (`while (true) { if (!(cond)) break; body }`), which
  /// has the same meaning (continue re-tests the condition). False: the
  /// statement needs lowering.
  bool skippableFine(const Expr *Full, CallFact &C) {
    DynTypedNodeList Parents = X.Ctx.getParents(*Full);
    if (Parents.empty())
      return false;
    if (const auto *VD = Parents[0].get<VarDecl>()) {
      DynTypedNodeList Up = X.Ctx.getParents(*VD);
      if (!Up.empty() && (Up[0].get<DeclStmt>() || Up[0].get<IfStmt>()))
        return true;
    }
    if (const auto *If = Parents[0].get<IfStmt>(); If && If->getCond() == Full)
      return true;
    if (const auto *While = Parents[0].get<WhileStmt>();
        While && While->getCond() == Full && whileAsIf(While, C))
      return true;
    if (const auto *Do = Parents[0].get<DoStmt>(); Do && Do->getCond() == Full)
      if (std::optional<Lowering> L = Lowerer.doCondition(Do)) {
        C.Lowerings.push_back(std::move(*L));
        return true;
      }
    if (const auto *For = Parents[0].get<ForStmt>();
        For && For->getCond() == Full)
      if (std::optional<Lowering> L = Lowerer.forCondition(For, C.AwaitEdits)) {
        C.Lowerings.push_back(std::move(*L));
        return true;
      }
    return false;
  }

  /// The edits that turn `while (cond) body` into `while (true) { if
  /// (!(cond)) break; body }` (a braced body keeps its braces as the
  /// loop's), or false when the body's end is not plain.
  bool whileAsIf(const WhileStmt *While, CallFact &C) {
    const SourceManager &SM = X.SM;
    const Stmt *Body = While->getBody();
    const auto *Block = dyn_cast<CompoundStmt>(Body);
    SourceLocation Begin = While->getCond()->getBeginLoc();
    SourceLocation CondEnd =
        Lexer::getLocForEndOfToken(While->getCond()->getEndLoc(), 0, SM, X.LO);
    // What the condition's ")" (and a braced body's "{") become.
    SourceLocation Close = Block ? Block->getLBracLoc().getLocWithOffset(1)
                                 : While->getRParenLoc().getLocWithOffset(1);
    SourceLocation After = Block ? SourceLocation() : X.bodyEnd(Body);
    if ((!Block && (After.isInvalid() || !After.isFileID())) ||
        !Begin.isFileID() || !CondEnd.isFileID() || !Close.isFileID() ||
        !X.isWritableLoc(Close))
      return false;
    auto At = [&](SourceLocation L, SourceLocation End) {
      return X.anchor(CharSourceRange::getCharRange(L, End));
    };
    C.AwaitEdits.push_back({At(Begin, Begin), "true) { if (!("});
    C.AwaitEdits.push_back({At(CondEnd, Close), ")) break;"});
    if (!Block)
      C.AwaitEdits.push_back({At(After, After), " }"});
    return true;
  }

  /// What g++ cannot compile in \p Full next to co_await; \p Temporary
  /// tells that it is a ?: temporary, which lowering removes.
  std::string fullExpressionProblem(const Expr *Full, bool &Temporary,
                                    bool &Aggregate, bool &List) {
    SmallVector<const Stmt *, 16> Work = {Full};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S || isa<LambdaExpr>(S))
        continue;
      if (isa<CXXStdInitializerListExpr>(S) && (List = true))
        return "its full-expression builds a std::initializer_list, which "
               "g++ 12 cannot compile next to co_await ('array used as "
               "initializer'); hoist the braced list into a variable";
      if (const auto *List = dyn_cast<InitListExpr>(S)) {
        const CXXRecordDecl *RD = List->getType()->getAsCXXRecordDecl();
        if (RD && RD->hasDefinition() && !RD->hasTrivialDestructor() &&
            (Aggregate = true))
          return "its full-expression aggregate-initialises '" +
                 RD->getQualifiedNameAsString() +
                 "' with braces, which g++ 12 miscompiles next to co_await "
                 "(its members are destroyed twice); hoist the awaited "
                 "call, or the braced object, into a variable of its own";
      }
      if (const auto *C = dyn_cast<AbstractConditionalOperator>(S)) {
        const CXXRecordDecl *RD = C->getType()->getAsCXXRecordDecl();
        if (C->isPRValue() && RD && RD->hasDefinition() &&
            !RD->hasTrivialDestructor()) {
          Temporary = true;
          return "its full-expression makes a class temporary with ?:, "
                 "which g++ 12 destroys twice next to co_await; hoist the "
                 "?: into a variable";
        }
      }
      for (const Stmt *Child : S->children())
        Work.push_back(Child);
    }
    return "";
  }
};

} // namespace

std::unique_ptr<Facet> makeHazardsFacet(ExtractContext &X) {
  return std::make_unique<HazardsFacet>(X);
}

} // namespace vinyl::extract
