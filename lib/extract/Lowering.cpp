//===- Lowering.cpp - Statements rewritten for g++'s sake -----------------===//
//
// See Lowering.h for the rewrite. Pieces are ranges of the source, never
// copies of its text: the rewrite phase writes each range with the edits
// made inside it (co_await, renames, co_return), once per copy.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "vinyl-asyncify/facts/Format.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

LoweredPiece text(StringRef T) {
  LoweredPiece P;
  P.Text = T.str();
  return P;
}

namespace {

/// The expression as written under the implicit conversions around it
/// (`""` under the std::string a ?: branch converts it to).
const Expr *written(const Expr *E) {
  for (;;) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParens();
    // A converting constructor (whose other parameters take defaults).
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Next);
        CE && !isa<CXXTemporaryObjectExpr>(CE) && CE->getNumArgs() >= 1 &&
        CE->getParenOrBraceRange().isInvalid() &&
        llvm::all_of(llvm::drop_begin(CE->arguments()),
                     [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
      Next = CE->getArg(0);
    if (Next == E)
      return E;
    E = Next;
  }
}

} // namespace

/// Whether \p S is the statement \p Parent runs (a block's, a branch's, a
/// body's), not a part of it.
bool isStatementOf(const Stmt *Parent, const Stmt *S) {
  if (isa<CompoundStmt>(Parent))
    return true;
  if (const auto *If = dyn_cast<IfStmt>(Parent))
    return If->getThen() == S || If->getElse() == S;
  if (const auto *W = dyn_cast<WhileStmt>(Parent))
    return W->getBody() == S;
  if (const auto *F = dyn_cast<ForStmt>(Parent))
    return F->getBody() == S;
  if (const auto *D = dyn_cast<DoStmt>(Parent))
    return D->getBody() == S;
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Parent))
    return R->getBody() == S;
  if (const auto *C = dyn_cast<SwitchCase>(Parent))
    return C->getSubStmt() == S;
  if (const auto *L = dyn_cast<LabelStmt>(Parent))
    return L->getSubStmt() == S;
  if (const auto *A = dyn_cast<AttributedStmt>(Parent))
    return A->getSubStmt() == S;
  return false;
}

namespace {

void append(std::vector<LoweredPiece> &To, const std::vector<LoweredPiece> &P) {
  To.insert(To.end(), P.begin(), P.end());
}

} // namespace

SourceLocation StatementLowerer::tokenEnd(SourceLocation L) {
  return Lexer::getLocForEndOfToken(L, 0, X.SM, X.LO);
}

std::optional<LoweredPiece>
StatementLowerer::source(SourceLocation B, SourceLocation E, bool Operand) {
  if (B.isInvalid() || E.isInvalid() || !B.isFileID() || !E.isFileID() ||
      X.SM.getFileID(B) != X.SM.getFileID(E) || !X.isWritableLoc(B) ||
      X.SM.getFileOffset(E) < X.SM.getFileOffset(B))
    return std::nullopt;
  LoweredPiece P;
  P.Source = X.anchor(CharSourceRange::getCharRange(B, E));
  P.Operand = Operand;
  return P;
}

bool StatementLowerer::containsCandidate(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (S == Call)
    return true;
  if (const auto *CE = dyn_cast<CallExpr>(S); CE && isCandidateCall(CE))
    return true;
  for (const Stmt *Child : S->children())
    if (containsCandidate(Child))
      return true;
  return false;
}

bool StatementLowerer::isTarget(const Expr *O, const Expr *Full) {
  if (const auto *B = dyn_cast<BinaryOperator>(O); B && B->isLogicalOp())
    return containsCandidate(B->getRHS());
  const auto *C = dyn_cast<AbstractConditionalOperator>(O);
  if (!C)
    return false;
  if (containsCandidate(C->getTrueExpr()) ||
      containsCandidate(C->getFalseExpr()))
    return true;
  const CXXRecordDecl *RD = C->getType()->getAsCXXRecordDecl();
  return C->isPRValue() && RD && RD->hasDefinition() &&
         !RD->hasTrivialDestructor() && containsCandidate(Full);
}

void StatementLowerer::targets(const Stmt *S, const Expr *Full,
                               SmallVectorImpl<const Expr *> &Out) {
  for (const Stmt *Child : S->children()) {
    if (!Child || isa<LambdaExpr>(Child))
      continue;
    if (const auto *E = dyn_cast<Expr>(Child); E && isTarget(E, Full)) {
      Out.push_back(E);
      continue;
    }
    targets(Child, Full, Out);
  }
}

/// Lowering evaluates \p H before the rest of \p Root. That keeps the
/// meaning where what the original evaluated before H has no side effects
/// (the callee of a call, the left of << or a comma), and where the order
/// was not fixed (other arguments, operands of +).
bool StatementLowerer::reorderable(const Expr *H, const Expr *Root) {
  auto Pure = [&](const Expr *E) { return pure(E); };
  for (const Expr *Child = H; Child != Root;) {
    DynTypedNodeList Parents = X.Ctx.getParents(*Child);
    const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
    if (!P)
      return false;
    bool Fine = true;
    if (const auto *B = dyn_cast<BinaryOperator>(P)) {
      if (B->isAssignmentOp())
        Fine = B->getRHS() == Child || Pure(B->getRHS());
      else if (B->getOpcode() == BO_Comma || B->isShiftOp() ||
               B->isLogicalOp())
        Fine = B->getLHS() == Child || Pure(B->getLHS());
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
      // C++17 orders these as the built-in operators.
      if (Op->isAssignmentOp() && Op->getNumArgs() == 2)
        Fine = Op->getArg(1) == Child || Pure(Op->getArg(1));
      else if (llvm::is_contained({OO_LessLess, OO_GreaterGreater, OO_Comma,
                                   OO_Subscript, OO_ArrowStar},
                                  Op->getOperator()))
        Fine = Op->getArg(0) == Child || Pure(Op->getArg(0));
    } else if (const auto *Call = dyn_cast<CallExpr>(P)) {
      // The callee (and a member call's object) comes first; arguments
      // are evaluated in no fixed order.
      Fine = Call->getCallee() == Child || Pure(Call->getCallee());
    } else if (isa<BinaryConditionalOperator>(P)) {
      Fine = false;
    } else {
      // Anything else: what is beside Child must not matter.
      for (const Stmt *Other : P->children())
        if (const auto *E = dyn_cast_or_null<Expr>(Other); E && E != Child)
          Fine = Fine && Pure(E);
    }
    if (!Fine)
      return false;
    Child = P;
  }
  return true;
}

/// The cast that makes a branch of \p Op what Op made of it, or false if
/// it cannot be spelt here (a template, a type without a name).
bool StatementLowerer::castFor(const Expr *Op, const Expr *Branch,
                               std::string &Open, std::string &Close) {
  Open = Close = "";
  const Expr *W = written(Branch);
  if (X.Ctx.hasSameUnqualifiedType(W->getType(), Op->getType()) &&
      W->getValueKind() == Op->getValueKind())
    return true;
  // In an instantiation the type is spelt as this one has it; another
  // instantiation of the same text that spells it otherwise makes the
  // rewrite phase refuse the conflict.
  if (!Op->isPRValue() || Op->getType()->isVoidType() ||
      Op->getType()->isInstantiationDependentType())
    return false;
  std::optional<std::string> T = spelled(Op->getType());
  if (!T)
    return false;
  Open = "static_cast<" + *T + ">(";
  Close = ")";
  return true;
}

std::optional<std::string> StatementLowerer::spelled(QualType T) {
  // As its declarations spell it (without default template arguments),
  // unless that names a member of a template (std::move's
  // `remove_reference<T &>::type`).
  PrintingPolicy Policy(X.LO);
  Policy.SuppressUnwrittenScope = true;
  Policy.FullyQualifiedName = true;
  std::string Name = T.getAsString(Policy);
  if (StringRef(Name).contains("typename") ||
      StringRef(Name).contains("::type"))
    Name = T.getCanonicalType().getAsString(Policy);
  if (StringRef(Name).contains('(') || StringRef(Name).contains("anonymous"))
    return std::nullopt;
  return Name;
}

bool StatementLowerer::lower(Pieces &Out, const Pieces &Pre,
                             const Expr *Region, const Pieces &Post,
                             std::string &Why) {
  SmallVector<const Expr *, 2> Targets;
  if (isTarget(Region, Full))
    Targets.push_back(Region);
  else
    targets(Region, Full, Targets);
  if (Targets.empty()) {
    std::optional<LoweredPiece> All = source(Region);
    if (!All) {
      Why = "part of it is written by a macro";
      return false;
    }
    append(Out, Pre);
    Out.push_back(*All);
    append(Out, Post);
    return true;
  }
  if (Targets.size() > 1) {
    Why = "it has two such operators side by side";
    return false;
  }
  const Expr *H = Targets.front();
  if (!reorderable(H, Region)) {
    Why = "what the statement evaluates before the operator has side "
          "effects";
    return false;
  }
  std::optional<LoweredPiece> Left = source(Region->getBeginLoc(),
                                            H->getBeginLoc()),
                              Right = source(tokenEnd(H->getEndLoc()),
                                             tokenEnd(Region->getEndLoc()));
  const Expr *Cond = nullptr, *Then = nullptr, *Else = nullptr;
  std::string ThenOpen, ThenClose, ElseOpen, ElseClose, Constant;
  if (const auto *B = dyn_cast<BinaryOperator>(H)) {
    // a && b is `a ? bool(b) : false`, a || b is `a ? true : bool(b)`.
    Cond = B->getLHS();
    const Expr *Right = B->getRHS();
    bool IsBool = written(Right)->getType()->isBooleanType();
    std::string Open = IsBool ? "" : "static_cast<bool>(",
                Close = IsBool ? "" : ")";
    if (B->getOpcode() == BO_LAnd) {
      Then = Right, ThenOpen = Open, ThenClose = Close;
      Constant = "false";
    } else {
      Else = Right, ElseOpen = Open, ElseClose = Close;
      Constant = "true";
    }
  } else if (const auto *C = dyn_cast<ConditionalOperator>(H)) {
    Cond = C->getCond();
    Then = C->getTrueExpr();
    Else = C->getFalseExpr();
    if (!castFor(C, Then, ThenOpen, ThenClose) ||
        !castFor(C, Else, ElseOpen, ElseClose)) {
      Why = "a branch would need a cast to a type that cannot be written "
            "there";
      return false;
    }
  } else {
    Why = "it is a GNU ?: without a middle operand";
    return false;
  }
  std::optional<LoweredPiece> CondPiece = source(Cond);
  SmallVector<const Expr *, 2> InCond;
  targets(Cond, Full, InCond);
  if (!Left || !Right || !CondPiece) {
    Why = "part of it is written by a macro";
    return false;
  }
  if (llvm::any_of(InCond, [](const Expr *E) {
        return isa<AbstractConditionalOperator>(E);
      })) {
    Why = "its condition has a ?: of its own";
    return false;
  }
  Pieces Before = Pre, After = {*Right};
  Before.push_back(*Left);
  append(After, Post);
  // One branch of the if: the statement with the operand in H's place.
  auto Branch = [&](const Expr *Operand, StringRef Open, StringRef Close) {
    if (!Operand) {
      append(Out, Before);
      Out.push_back(text(Constant));
      append(Out, After);
      return true;
    }
    Pieces In = Before, Out2 = {text(Close)};
    if (!Open.empty())
      In.push_back(text(Open));
    append(Out2, After);
    return lower(Out, In, Operand, Out2, Why);
  };
  Out.push_back(text("{ if ("));
  Out.push_back(*CondPiece);
  Out.push_back(text(") { "));
  if (!Branch(Then, ThenOpen, ThenClose))
    return false;
  Out.push_back(text(" } else { "));
  if (!Branch(Else, ElseOpen, ElseClose))
    return false;
  Out.push_back(text(" } }"));
  return true;
}

void StatementLowerer::start(const Expr *FullExpr, const Expr *TheCall) {
  Full = FullExpr;
  Call = TheCall;
  Hoisted.clear();
}

std::optional<Lowering> StatementLowerer::refuse(std::string &Why,
                                                 StringRef Reason) {
  Why = Reason.str();
  Hoisted.clear();
  return std::nullopt;
}

std::optional<Lowering> StatementLowerer::statement(const Expr *FullExpr,
                                                    const Expr *TheCall,
                                                    std::string &Why) {
  start(FullExpr, TheCall);
  DynTypedNodeList Parents = X.Ctx.getParents(*Full);
  const Stmt *Parent = Parents.empty() ? nullptr : Parents[0].get<Stmt>();
  const Stmt *S = Full;
  if (Parent && isa<ReturnStmt, CoreturnStmt>(Parent))
    S = Parent;
  else if (!Parent || !isStatementOf(Parent, Full)) {
    Why = "it is not a statement of its own";
    return std::nullopt;
  }
  SourceLocation End = Lexer::findLocationAfterToken(
      S->getEndLoc(), tok::semi, X.SM, X.LO,
      /*SkipTrailingWhitespaceAndNewLine=*/false);
  std::optional<LoweredPiece> Pre = source(S->getBeginLoc(),
                                           Full->getBeginLoc()),
                              Post = source(tokenEnd(Full->getEndLoc()), End),
                              Whole = source(S->getBeginLoc(), End);
  if (!Pre || !Post || !Whole) {
    Why = "part of it is written by a macro";
    return std::nullopt;
  }
  Lowering L;
  L.Whole = Whole->Source;
  L.AwaitsInCondition = true;
  if (!lower(L.Pieces, {*Pre}, Full, {*Post}, Why))
    return std::nullopt;
  return L;
}

/// The C++11 idiom `(void)std::initializer_list<int>{(f(args), 0)...};`
/// (a pack expansion run for its calls' sake) as the fold expression that
/// says the same, `((void)f(args), ...);`: g++ cannot compile co_await
/// in a full-expression that builds an initializer_list. Seen in an
/// instantiation, where the expansion's elements all come from the one
/// written element.
std::optional<Lowering> StatementLowerer::foldInitializerList(
    const Expr *FullExpr, const Expr *TheCall, std::string &Why) {
  start(FullExpr, TheCall);
  auto Fail = [&](StringRef Reason) { return refuse(Why, Reason); };
  DynTypedNodeList Parents = X.Ctx.getParents(*Full);
  const Stmt *Parent = Parents.empty() ? nullptr : Parents[0].get<Stmt>();
  const auto *Cast = dyn_cast<CStyleCastExpr>(Full->IgnoreImplicit());
  if (!Parent || !isStatementOf(Parent, Full) || !Cast ||
      !Cast->getType()->isVoidType())
    return Fail("it is not a `(void)std::initializer_list<...>{...};` "
                "statement");
  const auto *List = dyn_cast<CXXStdInitializerListExpr>(
      Cast->getSubExpr()->IgnoreImplicit()->IgnoreCasts()->IgnoreImplicit());
  if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(
          Cast->getSubExpr()->IgnoreImplicit()))
    List = dyn_cast<CXXStdInitializerListExpr>(F->getSubExpr()->IgnoreImplicit());
  const auto *Array =
      List ? dyn_cast<InitListExpr>(List->getSubExpr()->IgnoreImplicit())
           : nullptr;
  if (!Array || Array->getNumInits() == 0)
    return Fail("it is not a pack expansion");
  // One written element `(call, 0)`, expanded.
  const auto *First =
      dyn_cast<BinaryOperator>(Array->getInit(0)->IgnoreImplicit()->IgnoreParens());
  if (!First || First->getOpcode() != BO_Comma)
    return Fail("its element is not `(call, 0)`");
  SourceRange Written = Array->getInit(0)->getSourceRange();
  for (const Expr *Init : Array->inits())
    if (Init->getSourceRange() != Written)
      return Fail("it is not a pack expansion");
  std::optional<Token> After =
      Lexer::findNextToken(Written.getEnd(), X.SM, X.LO);
  if (!After || !After->is(tok::ellipsis))
    return Fail("it is not a pack expansion");
  SourceLocation End = Lexer::findLocationAfterToken(
      Full->getEndLoc(), tok::semi, X.SM, X.LO, false);
  std::optional<LoweredPiece> Whole = source(Full->getBeginLoc(), End),
                              Operand = source(First->getLHS());
  if (!Whole || !Operand)
    return Fail("part of it is written by a macro");
  Lowering L;
  L.Whole = Whole->Source;
  L.Pieces = {text("((void)"), *Operand, text(", ...);")};
  return L;
}

std::optional<Lowering>
StatementLowerer::forCondition(const ForStmt *For,
                               std::vector<TextEdit> &Edits) {
  const Expr *Cond = For->getCond();
  const Stmt *Body = For->getBody();
  if (!Cond || For->getConditionVariable())
    return std::nullopt;
  const auto *Block = dyn_cast<CompoundStmt>(Body);
  // What the condition's ")" (and a braced body's "{") become.
  SourceLocation Close = Block ? Block->getLBracLoc().getLocWithOffset(1)
                               : For->getRParenLoc().getLocWithOffset(1);
  std::optional<LoweredPiece> Head = source(For->getBeginLoc(),
                                            Cond->getBeginLoc()),
                              Rest = source(tokenEnd(Cond->getEndLoc()), Close),
                              C = source(Cond);
  if (!Head || !Rest || !C)
    return std::nullopt;
  if (!Block) {
    SourceLocation After = X.bodyEnd(Body);
    std::optional<LoweredPiece> End = source(After, After);
    if (!End)
      return std::nullopt;
    Edits.push_back({End->Source, " }"});
  }
  Lowering L;
  L.Whole = source(For->getBeginLoc(), Close)->Source;
  L.Pieces = {*Head, *Rest, text(Block ? " if (!(" : " { if (!("), *C,
              text(")) break;")};
  return L;
}

std::optional<Lowering> StatementLowerer::doCondition(const DoStmt *Do) {
  const Stmt *Body = Do->getBody();
  SourceLocation BodyEnd = X.bodyEnd(Body);
  SourceLocation End = Lexer::findLocationAfterToken(
      Do->getRParenLoc(), tok::semi, X.SM, X.LO, false);
  std::optional<LoweredPiece> B = source(Body->getBeginLoc(), BodyEnd),
                              C = source(Do->getCond()),
                              Whole = source(Do->getBeginLoc(), End);
  if (!B || !C || !Whole)
    return std::nullopt;
  std::string Again = fmt::format("vinyl_again_{}", X.lineOf(Do));
  Lowering L;
  L.Whole = Whole->Source;
  L.Pieces = {text(fmt::format("for (bool {0} = false;; {0} = true) {{ if "
                               "({0} && !(",
                               Again)),
              *C, text(")) break; "), *B, text(" }")};
  return L;
}

} // namespace vinyl::extract
