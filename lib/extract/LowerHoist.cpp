//===- LowerHoist.cpp - Objects g++ mishandles, moved before the statement
//-===//
//
// g++ 12 destroys the members of a braced aggregate of a class with a
// destructor twice when its full-expression suspends, and cannot compile a
// std::initializer_list's array in a full-expression that holds co_await.
// Both go away when what g++ mishandles leaves the full-expression: the
// awaited calls inside an aggregate go first, each into a variable the
// aggregate takes; an aggregate or a braced list that an awaited call
// takes goes first, into a variable the call then takes. Refused where
// what the statement evaluates before them has side effects, or where
// they may not be evaluated at all (a branch of ?:, the right of && or
// ||).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

const Stmt *StatementLowerer::ownStatement(bool &Braces, std::string &Why) {
  // One variable's declaration (what is hoisted goes before it, in its
  // scope), or a return or an expression statement (in braces).
  DynTypedNodeList Parents = X.Ctx.getParents(*Full);
  Braces = true;
  if (Parents.empty()) {
    refuse(Why, "it is not a statement of its own");
    return nullptr;
  }
  if (const auto *VD = Parents[0].get<VarDecl>()) {
    DynTypedNodeList Up = X.Ctx.getParents(*VD);
    const auto *DS = Up.empty() ? nullptr : Up[0].get<DeclStmt>();
    if (!DS || !DS->isSingleDecl()) {
      refuse(Why, "it initialises one of several variables, or a condition's");
      return nullptr;
    }
    Braces = false;
    return DS;
  }
  const Stmt *P = Parents[0].get<Stmt>();
  if (P && isa<ReturnStmt, CoreturnStmt>(P))
    return P;
  if (P && isStatementOf(P, Full))
    return Full;
  refuse(Why, "it is not a statement of its own");
  return nullptr;
}

SourceLocation StatementLowerer::statementEnd(const Stmt *S) {
  // A declaration's range ends at its ';', other statements' before it.
  return isa<DeclStmt>(S) ? tokenEnd(S->getEndLoc())
                          : Lexer::findLocationAfterToken(
                                S->getEndLoc(), tok::semi, X.SM, X.LO,
                                /*SkipTrailingWhitespaceAndNewLine=*/false);
}

/// Whether \p E is a braced aggregate of a class g++ destroys twice next
/// to co_await (its destructor is not trivial).
static bool isDestroyedAggregate(const Stmt *E) {
  const auto *List = dyn_cast<InitListExpr>(E);
  const CXXRecordDecl *RD =
      List ? List->getType()->getAsCXXRecordDecl() : nullptr;
  return RD && RD->hasDefinition() && !RD->hasTrivialDestructor();
}

void StatementLowerer::outermostCalls(const Stmt *S, bool InAggregate,
                                      SmallVectorImpl<const Expr *> &In,
                                      SmallVectorImpl<const Expr *> &Around) {
  if (!S || isa<LambdaExpr>(S))
    return;
  InAggregate = InAggregate || isDestroyedAggregate(S);
  if (const auto *CE = dyn_cast<CallExpr>(S); CE && isCandidateCall(CE)) {
    (InAggregate ? In : Around).push_back(CE);
    if (InAggregate)
      return;
  }
  for (const Stmt *Child : S->children())
    outermostCalls(Child, InAggregate, In, Around);
}

bool StatementLowerer::isCandidateCall(const CallExpr *CE) {
  if (CE == Call)
    return true;
  // A converted library's blocking facade is awaited as its coroutine.
  const FunctionDecl *FD = CE->getDirectCallee();
  return !FD || X.isOurs(FD) || findLeaf(X.Cfg, *FD) ||
         facadeTwinCall(X.Cfg, *FD);
}

std::optional<Lowering> StatementLowerer::hoistAwaits(const Expr *FullExpr,
                                                      const Expr *TheCall,
                                                      std::string &Why) {
  start(FullExpr, TheCall);
  auto Fail = [&](StringRef Reason) { return refuse(Why, Reason); };
  bool Braces = true;
  const Stmt *S = ownStatement(Braces, Why);
  if (!S)
    return std::nullopt;
  // The calls to hoist: those inside a braced aggregate; a call that
  // holds the aggregate among its arguments cannot be separated from it.
  SmallVector<const Expr *, 4> In, Around;
  outermostCalls(Full, false, In, Around);
  if (In.empty())
    return hoistAggregate(S, Braces, Why);
  if (!Around.empty())
    return Fail("a call to await outside the aggregate shares its "
                "statement");
  for (const Expr *E : In)
    Hoisted.insert(E);
  for (const Expr *E : In)
    if (!reorderable(E, Full))
      return Fail("what the statement evaluates before the calls has side "
                  "effects");
  std::vector<std::string> Types(In.size(), "decltype(auto)");
  return hoisted(
      S, Braces, In, Types, "vinyl_t",
      [](const std::string &Name) {
        return "static_cast<decltype(" + Name + ") &&>(" + Name + ")";
      },
      Why);
}

/// The braced aggregates g++ mishandles in \p S, outside lambdas.
static void destroyedAggregates(const Stmt *S,
                                SmallVectorImpl<const InitListExpr *> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (isDestroyedAggregate(S)) {
    Out.push_back(cast<InitListExpr>(S));
    return;
  }
  for (const Stmt *Child : S->children())
    destroyedAggregates(Child, Out);
}

/// A call to await that holds the aggregate (`send(fd, Msg{"host", 1})`):
/// the aggregate goes first, into a variable, and the call takes it:
/// `auto vinyl_a7 = Msg{"host", 1}; co_await send(fd, std::move(vinyl_a7));`.
std::optional<Lowering>
StatementLowerer::hoistAggregate(const Stmt *S, bool Braces, std::string &Why) {
  SmallVector<const InitListExpr *, 2> Lists;
  destroyedAggregates(Full, Lists);
  if (Lists.size() != 1) {
    Why = "it builds several such aggregates";
    return std::nullopt;
  }
  // The aggregate as written: with its type (`Msg{...}`), or braces alone
  // whose type is spelt here.
  const Expr *A = Lists.front();
  std::string Type = "auto";
  const CXXFunctionalCastExpr *Cast = nullptr;
  for (const Expr *Child = A; !Cast;) {
    DynTypedNodeList Up = X.Ctx.getParents(*Child);
    const Expr *P = Up.empty() ? nullptr : Up[0].get<Expr>();
    if (!P || !isa<CXXFunctionalCastExpr, ImplicitCastExpr,
                   MaterializeTemporaryExpr, CXXBindTemporaryExpr>(P))
      break;
    Cast = dyn_cast<CXXFunctionalCastExpr>(P);
    Child = P;
  }
  if (Cast)
    A = Cast;
  else if (const FunctionDecl *Fn = X.currentFunction();
           X.inInstantiation() || (Fn && Fn->isTemplated())) {
    Why = "its braces have no type written, in a template";
    return std::nullopt;
  } else {
    PrintingPolicy Policy(X.LO);
    Policy.FullyQualifiedName = true;
    Type = A->getType().getUnqualifiedType().getAsString(Policy);
  }
  if (!reorderable(A, Full)) {
    Why = "what the statement evaluates before the aggregate has side "
          "effects";
    return std::nullopt;
  }
  SourceLocation End = statementEnd(S);
  std::optional<LoweredPiece> Whole = source(S->getBeginLoc(), End),
                              Aggregate = source(A),
                              Before =
                                  source(S->getBeginLoc(), A->getBeginLoc()),
                              After = source(tokenEnd(A->getEndLoc()), End);
  if (!Whole || !Aggregate || !Before || !After) {
    Why = "part of it is written by a macro";
    return std::nullopt;
  }
  std::string Name = "vinyl_a" + std::to_string(X.lineOf(S));
  Lowering L;
  L.Whole = Whole->Source;
  L.Pieces = {text((Braces ? "{ " : "") + Type + " " + Name + " = "),
              *Aggregate,
              text("; "),
              *Before,
              text("std::move(" + Name + ")"),
              *After};
  if (Braces)
    L.Pieces.push_back(text(" }"));
  return L;
}

/// The object a braced list \p List makes for its parameter or operand:
/// the list itself (a std::initializer_list parameter), or the class
/// object constructed from it (`{a, b}` for a std::vector parameter, or
/// `std::vector<std::string>{a, b}`), under the temporary it is bound to.
static const Expr *madeFrom(ASTContext &Ctx, const Expr *List) {
  const Expr *Made = List;
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(*Made);
    const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
    if (!P || !isa<ImplicitCastExpr, CXXBindTemporaryExpr, CXXConstructExpr,
                   CXXFunctionalCastExpr>(P))
      return Made;
    if (const auto *Make = dyn_cast<CXXConstructExpr>(P);
        Make && !llvm::all_of(Make->arguments(), [&](const Expr *A) {
          return A == Made || isa<CXXDefaultArgExpr>(A);
        }))
      return Made;
    Made = P;
  }
}

/// Whether \p E may not be evaluated when \p Root is: it is in a branch
/// of ?: or the right of && or ||.
static bool mayBeSkipped(ASTContext &Ctx, const Expr *E, const Expr *Root) {
  for (const Expr *Child = E; Child != Root;) {
    DynTypedNodeList Parents = Ctx.getParents(*Child);
    const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
    if (!P)
      return true;
    if (const auto *C = dyn_cast<AbstractConditionalOperator>(P);
        C && C->getCond() != Child)
      return true;
    if (const auto *B = dyn_cast<BinaryOperator>(P);
        B && B->isLogicalOp() && B->getRHS() == Child)
      return true;
    Child = P;
  }
  return false;
}

/// The std::initializer_lists \p S builds, outside lambdas, outermost
/// first.
static void
initializerLists(const Stmt *S,
                 SmallVectorImpl<const CXXStdInitializerListExpr *> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *List = dyn_cast<CXXStdInitializerListExpr>(S)) {
    Out.push_back(List);
    return;
  }
  for (const Stmt *Child : S->children())
    initializerLists(Child, Out);
}

std::optional<Lowering>
StatementLowerer::hoistInitializerLists(const Expr *FullExpr,
                                        const Expr *TheCall, std::string &Why) {
  start(FullExpr, TheCall);
  auto Fail = [&](StringRef Reason) { return refuse(Why, Reason); };
  bool Braces = true;
  const Stmt *S = ownStatement(Braces, Why);
  if (!S)
    return std::nullopt;
  SmallVector<const CXXStdInitializerListExpr *, 2> Lists;
  initializerLists(Full, Lists);
  if (Lists.empty())
    return Fail("it builds no std::initializer_list of its own");
  // Each object in a variable of its own, in the order written.
  SmallVector<const Expr *, 2> Made;
  SmallVector<std::string, 2> Types;
  for (const CXXStdInitializerListExpr *List : Lists) {
    if (containsCandidate(List))
      return Fail("a call to await is inside the braces");
    const Expr *M = madeFrom(X.Ctx, List);
    if (mayBeSkipped(X.Ctx, M, Full))
      return Fail("the braced list is in an operand that may not be "
                  "evaluated");
    if (!reorderable(M, Full))
      return Fail("what the statement evaluates before the braced list has "
                  "side effects");
    Hoisted.insert(M);
    // A list with its type written keeps it; bare braces get the type of
    // what they make, spelt here.
    std::string Type = "auto";
    if (!isa<CXXFunctionalCastExpr, CXXTemporaryObjectExpr>(
            M->IgnoreImplicit())) {
      const FunctionDecl *Fn = X.currentFunction();
      std::optional<std::string> T;
      if (!X.inInstantiation() && !(Fn && Fn->isTemplated()))
        T = spelled(M->getType().getUnqualifiedType());
      if (!T)
        return Fail("the type the braces make cannot be spelt here");
      Type = *T;
    }
    Made.push_back(M);
    Types.push_back(std::move(Type));
  }
  return hoisted(
      S, Braces, Made, Types, "vinyl_l",
      [](const std::string &Name) { return "std::move(" + Name + ")"; }, Why);
}

std::optional<Lowering> StatementLowerer::hoisted(
    const Stmt *S, bool Braces, ArrayRef<const Expr *> Moved,
    ArrayRef<std::string> Types, StringRef Prefix,
    function_ref<std::string(const std::string &)> Use, std::string &Why) {
  auto Fail = [&](StringRef Reason) { return refuse(Why, Reason); };
  SourceLocation End = statementEnd(S);
  std::optional<LoweredPiece> Whole = source(S->getBeginLoc(), End);
  if (!Whole)
    return Fail("part of it is written by a macro");
  Lowering L;
  L.Whole = Whole->Source;
  if (Braces)
    L.Pieces.push_back(text("{ "));
  auto Name = [&](unsigned I) {
    return Prefix.str() + std::to_string(X.lineOf(S)) + "_" +
           std::to_string(I + 1);
  };
  for (unsigned I = 0; I < Moved.size(); ++I) {
    std::optional<LoweredPiece> Object = source(Moved[I]);
    if (!Object)
      return Fail("part of it is written by a macro");
    L.Pieces.push_back(text(Types[I] + " " + Name(I) + " = "));
    L.Pieces.push_back(*Object);
    L.Pieces.push_back(text("; "));
  }
  if (!withUnits(S->getBeginLoc(), End, Moved,
                 [&](size_t I) { return Use(Name(I)); }, L.Pieces))
    return Fail("part of it is written by a macro");
  if (Braces)
    L.Pieces.push_back(text(" }"));
  Hoisted.clear();
  return L;
}

} // namespace vinyl::extract
