//===- LowerOrder.cpp - Awaits that g++ evaluates before their operands ---===//
//
// g++ 12 evaluates the co_awaits of a full-expression before the rest of
// it, whatever the order the standard or its own code for the original
// gives the rest (tested with 12.2, docs/conversion.md "Evaluation order
// under g++"):
//
//   std::cout << prompt() << co_await read_line(fd);   // read_line first
//   conn(1).send(co_await build());                    // build first
//   int n = next_id() + co_await count(fd);            // count first
//
// C++17 orders the first two (the left of << and the object of a call come
// first), and g++ ran the third left to right before it became a
// coroutine. Where what the original evaluated before an awaited call has
// side effects, the statement is rearranged so that the order is written
// out: each operand with side effects, up to the last call that may be
// awaited, goes first into a variable of its own, in the order g++
// evaluated the original (C++17's where it fixes one; operands of built-in
// operators left to right; arguments right to left), and the statement
// takes the variables:
//
//   { decltype(auto) vinyl_o7_1 = std::cout << prompt();
//     decltype(auto) vinyl_o7_2 = co_await read_line(fd);
//     static_cast<decltype(vinyl_o7_1) &&>(vinyl_o7_1) << ...; }
//
// The operands of &&, || and ?: and a comma's are left to the other
// lowerings (Lowering.h), which g++ orders correctly once applied. The
// statement is a declaration, a return, an expression statement or an if
// whose condition it is (the variables then go before the if), or a
// while, for or do loop's condition (`while (true) { variables; if
// (!(C)) break; body }`, `for (init; ; inc) { ... }`, and for a do loop a
// test skipped before the first iteration).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"
#include "Purity.h"

#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/Sequence.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

namespace {

/// Whether \p P orders its operands itself, or leaves them to another
/// lowering: && and ||, the comma, ?:, and what is not plain code.
bool ordersItself(const Stmt *P) {
  if (const auto *B = dyn_cast<BinaryOperator>(P))
    return B->isLogicalOp() || B->getOpcode() == BO_Comma;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P))
    return llvm::is_contained({OO_AmpAmp, OO_PipePipe, OO_Comma},
                              Op->getOperator());
  return isa<AbstractConditionalOperator, LambdaExpr, StmtExpr,
             CoroutineSuspendExpr, UnaryExprOrTypeTraitExpr, CXXTypeidExpr,
             CXXNoexceptExpr>(P);
}

/// The children of \p P in the order g++ evaluated them in the original:
/// C++17's where it fixes one (the callee and a member call's object
/// before the arguments; the right of an assignment before its left; the
/// left of <<, >>, [] and ->* first; braced lists in order), arguments of
/// calls and of constructors in parentheses right to left, and anything
/// else (the operands of built-in +, ==, ...) left to right.
SmallVector<const Expr *, 4> evaluationOrder(const Stmt *P) {
  SmallVector<const Expr *, 4> Out;
  // A default argument is written elsewhere, and evaluated with its call.
  auto Add = [&](const Stmt *S) {
    if (const auto *E = dyn_cast_or_null<Expr>(S);
        E && !isa<CXXDefaultArgExpr, CXXDefaultInitExpr>(E))
      Out.push_back(E);
  };
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (Op->getNumArgs() == 2 && Op->isAssignmentOp()) {
      Add(Op->getArg(1));
      Add(Op->getArg(0));
    } else if (llvm::is_contained({OO_LessLess, OO_GreaterGreater,
                                   OO_Subscript, OO_ArrowStar},
                                  Op->getOperator())) {
      for (const Expr *A : Op->arguments())
        Add(A);
    } else {
      for (const Expr *A : llvm::reverse(Op->arguments()))
        Add(A);
    }
    Add(Op->getCallee());
    return Out;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    Add(Call->getCallee());
    for (const Expr *A : llvm::reverse(Call->arguments()))
      Add(A);
    return Out;
  }
  if (const auto *Make = dyn_cast<CXXConstructExpr>(P);
      Make && !Make->isListInitialization()) {
    for (const Expr *A : llvm::reverse(Make->arguments()))
      Add(A);
    return Out;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(P); B && B->isAssignmentOp()) {
    Add(B->getRHS());
    Add(B->getLHS());
    return Out;
  }
  for (const Stmt *C : P->children())
    Add(C);
  return Out;
}

/// The condition of \p S if it is a while or for loop that declares no
/// variable in it.
const Expr *loopCondition(const Stmt *S) {
  if (const auto *W = dyn_cast<WhileStmt>(S))
    return W->getConditionVariable() ? nullptr : W->getCond();
  if (const auto *F = dyn_cast<ForStmt>(S))
    return F->getConditionVariable() ? nullptr : F->getCond();
  return nullptr;
}

} // namespace

SourceLocation StatementLowerer::endOf(const Stmt *S) {
  // After an if's last branch or a loop's body, however nested.
  if (const auto *If = dyn_cast<IfStmt>(S))
    return endOf(If->getElse() ? If->getElse() : If->getThen());
  if (const auto *W = dyn_cast<WhileStmt>(S))
    return endOf(W->getBody());
  if (const auto *F = dyn_cast<ForStmt>(S))
    return endOf(F->getBody());
  if (const auto *R = dyn_cast<CXXForRangeStmt>(S))
    return endOf(R->getBody());
  if (isa<DeclStmt, DoStmt>(S))
    return statementEnd(S);
  return X.bodyEnd(S);
}

bool StatementLowerer::pure(const Expr *E) {
  if (!E || !E->HasSideEffects(X.Ctx) || Hoisted.count(E->IgnoreImplicit()))
    return true;
  if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E->IgnoreImplicit()))
    return pure(Default->getExpr());
  // A read through what is known to only read (`s.size()`).
  if (isPure(E))
    return true;
  // An object made from constants (`std::string` from "x").
  const auto *Make = dyn_cast<CXXConstructExpr>(E->IgnoreImplicit());
  return Make && llvm::all_of(Make->arguments(), [&](const Expr *A) {
           return isa<CXXDefaultArgExpr>(A) || A->isEvaluatable(X.Ctx);
         });
}

bool StatementLowerer::evaluatedAfterEffects(const Expr *E,
                                             const Expr *Root) {
  for (const Expr *Child = E; Child != Root;) {
    DynTypedNodeList Parents = X.Ctx.getParents(*Child);
    const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
    if (!P)
      return false;
    if (!ordersItself(P))
      for (const Expr *Before : evaluationOrder(P)) {
        if (Before == Child)
          break;
        if (!pure(Before))
          return true;
      }
    Child = P;
  }
  return false;
}

/// Whether evaluating \p E does something beyond evaluating its operands:
/// a call, an assignment, an increment.
static bool hasOwnEffect(const Expr *E) {
  if (isa<CallExpr, CXXNewExpr, CXXDeleteExpr, CXXThrowExpr>(E))
    return true;
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return B->isAssignmentOp();
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return U->isIncrementDecrementOp();
  return false;
}

bool StatementLowerer::orderUnits(const Expr *E,
                                  SmallVectorImpl<const Expr *> &Out,
                                  std::string &Why) {
  if (!containsCandidate(E)) {
    if (!pure(E))
      Out.push_back(E);
    return true;
  }
  // What is always evaluated first: the condition of ?:, the left of &&
  // and ||, where what may be skipped has no effect and nothing to await.
  const Expr *First = nullptr;
  SmallVector<const Expr *, 2> Skippable;
  if (const auto *C = dyn_cast<AbstractConditionalOperator>(E)) {
    First = C->getCond();
    Skippable = {C->getTrueExpr(), C->getFalseExpr()};
  } else if (const auto *B = dyn_cast<BinaryOperator>(E);
             B && B->isLogicalOp()) {
    First = B->getLHS();
    Skippable = {B->getRHS()};
  }
  if (First && llvm::all_of(Skippable, [&](const Expr *S) {
        return !containsCandidate(S) && pure(S);
      }))
    return orderUnits(First, Out, Why);
  if (ordersItself(E) && !(isa<BinaryOperator>(E) &&
                           cast<BinaryOperator>(E)->getOpcode() == BO_Comma)) {
    Why = "an operand of &&, || or ?: that may be skipped holds a call that "
          "may be awaited";
    return false;
  }
  // Its operands first, then what it does itself (a call that may be
  // awaited, which takes the variables its operands went to).
  for (const Expr *Child : evaluationOrder(E))
    if (!orderUnits(Child, Out, Why))
      return false;
  if (hasOwnEffect(E))
    Out.push_back(E);
  return true;
}

/// Whether \p E can initialise a `decltype(auto)` variable.
static bool hoistable(const Expr *E) {
  QualType T = E->getType();
  return !T.isNull() && !T->isVoidType() && !E->refersToBitField();
}

bool StatementLowerer::withUnits(SourceLocation From, SourceLocation To,
                                 ArrayRef<const Expr *> Units,
                                 function_ref<std::string(size_t)> Use,
                                 std::vector<LoweredPiece> &Out) {
  auto Offset = [&](SourceLocation L) { return X.SM.getFileOffset(L); };
  auto Begin = [&](size_t J) { return Offset(Units[J]->getBeginLoc()); };
  auto End = [&](size_t J) {
    return Offset(tokenEnd(Units[J]->getEndLoc()));
  };
  unsigned F = Offset(From), T = Offset(To);
  SmallVector<size_t, 4> Inner;
  for (size_t J = 0; J < Units.size(); ++J) {
    if (Begin(J) < F || End(J) > T)
      continue;
    if (llvm::any_of(Inner, [&](size_t K) {
          return Begin(K) <= Begin(J) && End(J) <= End(K);
        }))
      continue;
    // A later unit around earlier ones replaces them.
    llvm::erase_if(Inner, [&](size_t K) {
      return Begin(J) <= Begin(K) && End(K) <= End(J);
    });
    Inner.push_back(J);
  }
  llvm::sort(Inner, [&](size_t A, size_t B) { return Begin(A) < Begin(B); });
  SourceLocation At = From;
  for (size_t J : Inner) {
    std::optional<LoweredPiece> Piece = source(At, Units[J]->getBeginLoc());
    if (!Piece)
      return false;
    Out.push_back(*Piece);
    Out.push_back(text(Use(J)));
    At = tokenEnd(Units[J]->getEndLoc());
  }
  std::optional<LoweredPiece> Rest = source(At, To);
  if (!Rest)
    return false;
  Out.push_back(*Rest);
  return true;
}

std::optional<Lowering> StatementLowerer::hoistInOrder(const Expr *FullExpr,
                                                       const Expr *TheCall,
                                                       std::string &Why) {
  start(FullExpr, TheCall);
  bool Braces = true;
  const Stmt *S = ownStatement(Braces, Why);
  SourceLocation StatementEnd;
  if (S) {
    StatementEnd = statementEnd(S);
  } else if (const IfStmt *If = X.parentAs<IfStmt>(*Full);
             If && If->getCond() == Full && !If->getInit() &&
             !If->getConditionVariable() && !If->isConstexpr() &&
             !If->isConsteval()) {
    // The condition of an if: the variables go before the whole if.
    S = If;
    Braces = true;
    StatementEnd = endOf(If);
  } else if (const auto *Loop = X.parentAs<Stmt>(*Full);
             Loop && loopCondition(Loop) == Full) {
    // A loop's condition is evaluated again and again: `while (true) {
    // variables; if (!(C)) break; body }` (`for (init; ; inc) { ...`),
    // where continue still goes to the variables and the condition.
    S = Loop;
    Braces = false;
    StatementEnd = endOf(Loop);
  } else if (const auto *Do = X.parentAs<DoStmt>(*Full);
             Do && Do->getCond() == Full) {
    // Tested after each iteration: `for (bool vinyl_again_L = false;;
    // vinyl_again_L = true) { if (vinyl_again_L) { variables; if (!(C))
    // break; } body }`, where continue still goes to the test.
    S = Do;
    Braces = false;
    StatementEnd = statementEnd(Do);
  } else {
    // Say where it is, rather than what it is not.
    const Stmt *P = X.parentAs<Stmt>(*Full);
    if (isa_and_nonnull<SwitchStmt>(P))
      Why = "it is a switch's condition";
    else if (const auto *If = dyn_cast_or_null<IfStmt>(P); If && If->getInit())
      Why = "it is the condition of an if with an init-statement";
    else if (const auto *F = dyn_cast_or_null<ForStmt>(P);
             F && F->getInit() == Full)
      Why = "it is a for loop's init-statement";
    return std::nullopt;
  }
  const Stmt *Loop = loopCondition(S) || isa<DoStmt>(S) ? S : nullptr;
  SmallVector<const Expr *, 8> Units;
  if (!orderUnits(Full, Units, Why))
    return refuse(Why, Why);
  // For the rewrite, which knows which calls are awaited: the effects in
  // the original's order.
  std::vector<OrderUnit> Order;
  for (const Expr *U : Units) {
    OrderUnit O;
    if (const auto *CE = dyn_cast<CallExpr>(U); CE && isCandidateCall(CE)) {
      std::string Problem;
      O.Call = X.fileAnchor(CE->getSourceRange(), Problem);
      QualType T = CE->getType();
      O.ClassResult = T->isRecordType() || T->isDependentType();
    }
    Order.push_back(std::move(O));
  }
  // The full-expression itself is evaluated last anyway, and so is what
  // follows the last call that may be awaited.
  while (!Units.empty()) {
    const auto *Last = dyn_cast<CallExpr>(Units.back());
    if (Units.back() != Full->IgnoreImplicit() && Last &&
        isCandidateCall(Last))
      break;
    Units.pop_back();
  }
  if (Units.size() < 2)
    return refuse(Why, "nothing to put in order");
  if (!llvm::all_of(Units, hoistable))
    return refuse(Why, "an operand to move first is void or a bit-field");

  auto Offset = [&](SourceLocation L) { return X.SM.getFileOffset(L); };
  auto Begin = [&](const Expr *E) { return Offset(E->getBeginLoc()); };
  auto End = [&](const Expr *E) { return Offset(tokenEnd(E->getEndLoc())); };
  for (const Expr *U : Units)
    if (!source(U))
      return refuse(Why, "part of it is written by a macro");
  std::string Line = std::to_string(X.lineOf(S));
  auto Name = [&](size_t I) { return "vinyl_o" + Line + "_" + std::to_string(I + 1); };
  auto Use = [&](size_t I) {
    return "static_cast<decltype(" + Name(I) + ") &&>(" + Name(I) + ")";
  };
  auto Compose = [&](SourceLocation From, SourceLocation To, size_t Count,
                     std::vector<LoweredPiece> &Out) {
    return withUnits(From, To, ArrayRef(Units).take_front(Count), Use, Out);
  };

  std::optional<LoweredPiece> Whole = source(S->getBeginLoc(), StatementEnd);
  if (!Whole)
    return refuse(Why, "part of it is written by a macro");
  Lowering L;
  L.Whole = Whole->Source;
  L.Order = std::move(Order);
  if (Braces)
    L.Pieces.push_back(text("{ "));
  for (size_t I = 0; I < Units.size(); ++I) {
    L.Pieces.push_back(text("decltype(auto) " + Name(I) + " = "));
    const Expr *U = Units[I];
    bool HasInner = llvm::any_of(llvm::seq<size_t>(0, I), [&](size_t J) {
      return Begin(U) <= Begin(Units[J]) && End(Units[J]) <= End(U);
    });
    if (!HasInner)
      L.Pieces.push_back(*source(U));
    else if (!Compose(U->getBeginLoc(), tokenEnd(U->getEndLoc()), I,
                      L.Pieces))
      return refuse(Why, "part of it is written by a macro");
    L.Pieces.push_back(text("; "));
  }
  if (Loop) {
    // The head without its condition, then the block.
    std::vector<LoweredPiece> Head;
    const auto *For = dyn_cast<ForStmt>(Loop);
    const auto *Do = dyn_cast<DoStmt>(Loop);
    const Stmt *BodyStmt = For  ? For->getBody()
                           : Do ? Do->getBody()
                                : cast<WhileStmt>(Loop)->getBody();
    std::string Again = "vinyl_again_" + Line;
    if (Do) {
      Head = {text("for (bool " + Again + " = false;; " + Again +
                   " = true) { if (" + Again + ") { ")};
    } else if (For) {
      std::optional<LoweredPiece> Init =
          source(For->getBeginLoc(), Full->getBeginLoc());
      std::optional<LoweredPiece> Inc =
          source(tokenEnd(Full->getEndLoc()), BodyStmt->getBeginLoc());
      if (!Init || !Inc)
        return refuse(Why, "part of it is written by a macro");
      Head = {*Init, *Inc, text("{ ")};
    } else {
      Head = {text("while (true) { ")};
    }
    L.Pieces.insert(L.Pieces.begin(), Head.begin(), Head.end());
    L.Pieces.push_back(text("if (!("));
    std::optional<LoweredPiece> Body =
        Do ? source(BodyStmt->getBeginLoc(), endOf(BodyStmt))
           : source(BodyStmt->getBeginLoc(), StatementEnd);
    if (!Compose(Full->getBeginLoc(), tokenEnd(Full->getEndLoc()),
                 Units.size(), L.Pieces) ||
        !Body)
      return refuse(Why, "part of it is written by a macro");
    L.Pieces.push_back(text(Do ? ")) break; } " : ")) break; "));
    L.Pieces.push_back(*Body);
    L.Pieces.push_back(text(" }"));
    return L;
  }
  if (!Compose(S->getBeginLoc(), StatementEnd, Units.size(), L.Pieces))
    return refuse(Why, "part of it is written by a macro");
  if (Braces)
    L.Pieces.push_back(text(" }"));
  return L;
}

} // namespace vinyl::extract
