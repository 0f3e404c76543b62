//===- ResumeFacet.cpp - Where a split caller can hand over ---------------===//
//
// A caller of a split function (`fast_paths`: `next_token` looping over
// `next_byte`, `get` calling `peek`) builds a coroutine frame per call
// even when every call it makes is ready. It can be split too, without a
// guard: its plain half hoists each such call before its statement and,
// when the result is not ready, hands the rest of the body to the
// coroutine half, which jumps to that statement and runs it again. A
// callee split at a cold guard has done nothing when it is not ready (its
// guard is free of side effects and its task has not started), so running
// the call again makes the calls the original made.
//
// This records, per call, whether its statement can be such a point
// (ResumePoint): the call is the first thing the statement does that has
// an effect, and is evaluated once, unconditionally; the statement is one
// a label can precede (a declaration, return, expression, or an `if` or
// `switch` on the call); the jump to it enters no try block or range-for
// and crosses no declaration that initialises, except a scalar one the
// coroutine half can write as `int b; b = e;`; and no local other than
// the one the call assigns is read after it (clang's LiveVariables), or
// has its address taken, since the coroutine half starts with its own.
// A call in a `while` loop's condition (`while (peek() == ' ' || peek() ==
// '\t') get();`) can be a point too, at the loop's head: there the plain
// half evaluates the whole condition, going on past a call that is not
// ready, and hands over after it; the coroutine half evaluates it again
// (conditionPoint says what that needs).
//
// Whether the callee is split, and whether every await of the caller is
// such a point, is the solver's question.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"
#include "Purity.h"

#include "vinyl-asyncify/facts/Format.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Analysis/Analyses/LiveVariables.h"
#include "clang/Analysis/AnalysisDeclContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

/// What a function's points share: its locals' liveness, and the locals
/// whose address is taken.
struct FunctionState {
  std::unique_ptr<AnalysisDeclContext> Context;
  std::unique_ptr<LiveVariables> Live;
  DenseSet<const VarDecl *> Addressed;
};

class ResumeFacet : public Facet {
public:
  using Facet::Facet;

  void annotate(const Expr &E, CallFact &C) override {
    if (!X.Cfg.FastPaths || X.inInstantiation() ||
        C.Kind != CallKind::Direct)
      return;
    const auto *CE = dyn_cast<CallExpr>(&E);
    const FunctionDecl *FD = X.currentFunction();
    if (!CE || !FD || !FD->doesThisDeclarationHaveABody())
      return;
    C.Resume = point(*FD, *CE);
  }

  void finish() override { States.clear(); }

private:
  static ResumePoint fail(std::string Why) {
    ResumePoint P;
    P.Problem = std::move(Why);
    return P;
  }

  ResumePoint point(const FunctionDecl &FD, const CallExpr &CE) {
    unsigned Line = X.lineOf(&CE);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(&FD);
        MD && MD->getParent()->isLambda())
      return fail("it is in a lambda");
    if (FD.isTemplated())
      return fail("it is in a template");
    for (const Stmt *Part : CE.children())
      if (!isPure(dyn_cast_or_null<Expr>(Part)) && Part != CE.getCallee())
        return fail(fmt::format("an argument of its call at line {} may have "
                                "side effects",
                                Line));
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(&CE);
        MC && !isPure(MC->getImplicitObjectArgument()))
      return fail(fmt::format("the object of its call at line {} may have "
                              "side effects",
                              Line));

    if (const WhileStmt *Loop = conditionOf(CE))
      return conditionPoint(FD, CE, *Loop);

    // Up from the call to its statement.
    const Stmt *Child = &CE, *Statement = nullptr;
    const VarDecl *Declared = nullptr;
    const Expr *AssignedTo = nullptr;
    while (!Statement) {
      DynTypedNodeList Parents = X.Ctx.getParents(*Child);
      if (Parents.size() != 1)
        return fail("its statement is not plain code");
      if (const auto *VD = Parents[0].get<VarDecl>()) {
        const auto *DS = X.parentAs<DeclStmt>(*VD);
        if (!DS || !DS->isSingleDecl() || !VD->isLocalVarDecl() ||
            VD->isStaticLocal())
          return fail(fmt::format("its call at line {} initialises a "
                                  "variable of a larger declaration",
                                  Line));
        Declared = VD;
        Statement = DS;
        break;
      }
      const Stmt *P = Parents[0].get<Stmt>();
      if (!P)
        return fail("its statement is not plain code");
      if (const auto *PE = dyn_cast<Expr>(P)) {
        if (std::string Why = evaluatedFirst(*PE, *Child, Line); !Why.empty())
          return fail(std::move(Why));
        if (const auto *BO = dyn_cast<BinaryOperator>(PE);
            BO && BO->getOpcode() == BO_Assign && BO->getRHS() == Child)
          AssignedTo = BO->getLHS()->IgnoreParens();
        Child = PE;
        continue;
      }
      if (isa<ReturnStmt>(P)) {
        Statement = P;
      } else if (const auto *If = dyn_cast<IfStmt>(P);
                 If && If->getCond() == Child) {
        if (If->getInit() || If->getConditionVariable() || If->isConsteval() ||
            If->isConstexpr())
          return fail(fmt::format("its 'if' at line {} declares a variable "
                                  "or is constexpr",
                                  Line));
        Statement = If;
      } else if (const auto *Switch = dyn_cast<SwitchStmt>(P);
                 Switch && Switch->getCond() == Child) {
        if (Switch->getInit() || Switch->getConditionVariable())
          return fail(fmt::format("its 'switch' at line {} declares a "
                                  "variable",
                                  Line));
        Statement = Switch;
      } else if (isLoopControl(*P, *Child)) {
        return fail(fmt::format("its call at line {} is in the condition or "
                                "increment of a loop",
                                Line));
      } else if (const auto *Branch = dyn_cast<IfStmt>(P);
                 isa<SwitchStmt>(P) ||
                 (Branch && Branch->getThen() != Child &&
                  Branch->getElse() != Child)) {
        return fail("its statement is not plain code");
      } else {
        Statement = Child; // An expression statement.
      }
    }

    ResumePoint Point;
    bool InBlock = X.parentAs<CompoundStmt>(*Statement);
    if (!InBlock && isa<IfStmt, SwitchStmt>(Statement))
      return fail(fmt::format("its statement at line {} is not directly in "
                              "a block",
                              Line));
    Point.Braces = !InBlock;
    // A declaration's range ends at its ';', other statements' before it.
    SourceLocation End =
        isa<DeclStmt>(Statement)
            ? Lexer::getLocForEndOfToken(Statement->getEndLoc(), 0, X.SM,
                                         X.LO)
            : Lexer::findLocationAfterToken(Statement->getEndLoc(), tok::semi,
                                            X.SM, X.LO, false);
    if (isa<IfStmt, SwitchStmt>(Statement))
      End = Statement->getBeginLoc();
    CharSourceRange Range = Lexer::makeFileCharRange(
        CharSourceRange::getCharRange(Statement->getBeginLoc(), End), X.SM,
        X.LO);
    if (End.isInvalid() || Range.isInvalid() ||
        !X.isWritableLoc(Range.getBegin()))
      return fail(fmt::format("its statement at line {} is written by a "
                              "macro",
                              Line));
    Point.Statement = X.anchor(Range);
    Point.Pristine = pristine(FD, *Statement);
    if (std::string Why = jump(FD, CE, *Statement, readIn(*Statement, AssignedTo),
                               Declared, Point);
        !Why.empty())
      return fail(std::move(Why));
    return Point;
  }

  /// Why the coroutine half cannot jump to \p Statement, the statement of
  /// \p CE, which reads \p ReadHere (and may declare \p Declared), or "";
  /// the declarations the jump crosses go in \p Point.Splits.
  std::string jump(const FunctionDecl &FD, const CallExpr &CE,
                   const Stmt &Statement,
                   const DenseSet<const VarDecl *> &ReadHere,
                   const VarDecl *Declared, ResumePoint &Point) {
    unsigned Line = X.lineOf(&CE);
    // The jump to the statement: what it enters, and the locals in scope.
    FunctionState &State = state(FD);
    if (!State.Live)
      return "its control flow could not be analysed";
    SmallVector<const VarDecl *, 8> InScope, Fixed;
    if (std::string Why = enclosing(FD, Statement, InScope, Fixed);
        !Why.empty())
      return Why;
    auto Needed = [&](const VarDecl *VD) {
      return ReadHere.contains(VD) || State.Live->isLive(&CE, VD) ||
             State.Addressed.contains(VD);
    };
    for (const VarDecl *VD : Fixed)
      if (VD != Declared && (Needed(VD) || !vacuous(*VD)))
        return fmt::format("the jump to its statement at line {} would "
                           "enter the scope of '{}', declared in a "
                           "condition or 'for'",
                           Line, VD->getName());
    for (const VarDecl *VD : InScope) {
      if (VD == Declared)
        continue;
      if (Needed(VD))
        return fmt::format(
            "'{}' is {} after its call at line {}, and the coroutine half "
            "would start without it",
            VD->getName(),
            State.Addressed.contains(VD) ? "reachable through its address"
                                         : "still read",
            Line);
      if (vacuous(*VD))
        continue;
      std::optional<TextEdit> Split = splitDeclaration(*VD);
      if (!Split)
        return fmt::format("the jump to its statement at line {} would "
                           "skip the initialisation of '{}'",
                           Line, VD->getName());
      Point.Splits.push_back(std::move(*Split));
    }
    return "";
  }

  /// Whether nothing with an effect runs before \p Statement: it is
  /// reached from the top of the body through blocks only, after
  /// declarations free of side effects.
  bool pristine(const FunctionDecl &FD, const Stmt &Statement) {
    const Stmt *Cur = &Statement;
    while (Cur != FD.getBody()) {
      const auto *Block = X.parentAs<CompoundStmt>(*Cur);
      if (!Block)
        return false;
      for (const Stmt *S : Block->body()) {
        if (S == Cur)
          break;
        const auto *DS = dyn_cast<DeclStmt>(S);
        if (!isa<NullStmt>(S) &&
            (!DS || !llvm::all_of(DS->decls(), isPureDeclaration)))
          return false;
      }
      Cur = Block;
    }
    return true;
  }

  /// The `while` loop whose condition \p CE is part of, if any.
  const WhileStmt *conditionOf(const CallExpr &CE) {
    const Stmt *Child = &CE;
    for (;;) {
      const Stmt *P = X.parentAs<Stmt>(*Child);
      if (const auto *PE = dyn_cast_or_null<Expr>(P)) {
        Child = PE;
        continue;
      }
      const auto *Loop = dyn_cast_or_null<WhileStmt>(P);
      return Loop && Loop->getCond() == Child ? Loop : nullptr;
    }
  }

  /// A point at the head of \p Loop, whose condition calls \p CE (see
  /// ResumePoint::LoopCondition). The plain half goes on evaluating the
  /// condition after a call that is not ready, with a value-initialised
  /// result in its place, and the coroutine half evaluates all of it
  /// again: so each call's value may only be compared or tested (never an
  /// index or a divisor), the rest must be free of side effects, and
  /// every call must be one that changes nothing when it is ready and
  /// nothing when it is not (the solver's part).
  ResumePoint conditionPoint(const FunctionDecl &FD, const CallExpr &CE,
                             const WhileStmt &Loop) {
    if (Loop.getConditionVariable())
      return fail(fmt::format("its loop at line {} declares a variable in "
                              "its condition",
                              X.lineOf(&Loop)));
    ResumePoint Point;
    Point.LoopCondition = true;
    if (std::string Why = conditionShape(Loop.getCond(), Point.ConditionCalls);
        !Why.empty())
      return fail(fmt::format("the condition of its loop at line {} {}",
                              X.lineOf(&Loop), Why));
    // The head, `while (C)`, and where the body ends: after its '}' or,
    // unbraced, its ';'.
    SourceLocation End = X.bodyEnd(Loop.getBody());
    SourceLocation HeadEnd = Loop.getRParenLoc().getLocWithOffset(1);
    const Expr *Cond = Loop.getCond();
    SourceLocation CondEnd =
        Lexer::getLocForEndOfToken(Cond->getEndLoc(), 0, X.SM, X.LO);
    for (SourceLocation L : {Loop.getBeginLoc(), HeadEnd, End,
                             Cond->getBeginLoc(), CondEnd})
      if (L.isInvalid() || !L.isFileID() || !X.isWritableLoc(L))
        return fail(fmt::format("its loop at line {} is written by a macro "
                                "or its body is not plain",
                                X.lineOf(&Loop)));
    auto At = [&](SourceLocation B, SourceLocation E) {
      return X.anchor(CharSourceRange::getCharRange(B, E));
    };
    Point.Statement = At(Loop.getBeginLoc(), HeadEnd);
    Point.Condition = At(Cond->getBeginLoc(), CondEnd);
    Point.BodyEnd = At(End, End);
    if (std::string Why =
            jump(FD, CE, Loop, readIn(*Cond, nullptr), nullptr, Point);
        !Why.empty())
      return fail(std::move(Why));
    return Point;
  }

  /// Why the loop condition \p E cannot be evaluated again, or past a call
  /// that is not ready, or ""; \p Calls counts the calls in it that may
  /// have effects.
  std::string conditionShape(const Expr *E, unsigned &Calls) {
    E = E->IgnoreParenImpCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(E);
        BO && (BO->isComparisonOp() || BO->isLogicalOp())) {
      if (std::string Why = conditionShape(BO->getLHS(), Calls); !Why.empty())
        return Why;
      return conditionShape(BO->getRHS(), Calls);
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_LNot)
      return conditionShape(UO->getSubExpr(), Calls);
    if (isPure(E))
      return "";
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call || !Call->getDirectCallee() || isa<CXXOperatorCallExpr>(Call))
      return fmt::format("does more with a call's result than compare or "
                         "test it, or has a side effect besides its calls, "
                         "at line {}",
                         X.lineOf(E));
    if (!Call->getType()->isScalarType())
      return "calls a function whose result is not a scalar";
    for (const Expr *A : Call->arguments())
      if (!isPure(A))
        return "passes an argument that may have side effects";
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
        MC && !isPure(MC->getImplicitObjectArgument()))
      return "calls through an object that may have side effects";
    ++Calls;
    return "";
  }

  /// Why what \p Parent evaluates besides \p Child could come first or
  /// have effects, or "".
  static std::string evaluatedFirst(const Expr &Parent, const Stmt &Child,
                                    unsigned Line) {
    if (const auto *CO = dyn_cast<ConditionalOperator>(&Parent))
      return CO->getCond() == &Child
                 ? ""
                 : fmt::format("its call at line {} is made on one side of "
                               "'?:' only",
                               Line);
    if (isa<BinaryConditionalOperator, LambdaExpr, StmtExpr,
            CoroutineSuspendExpr, UnaryExprOrTypeTraitExpr, CXXTypeidExpr,
            CXXNoexceptExpr>(&Parent))
      return fmt::format("its call at line {} is not plain code", Line);
    if (const auto *BO = dyn_cast<BinaryOperator>(&Parent)) {
      // The right operand of && and || runs after the left, and only
      // sometimes; an assignment's target is evaluated after its value.
      if (BO->isLogicalOp())
        return BO->getLHS() == &Child
                   ? ""
                   : fmt::format("its call at line {} is made only "
                                 "sometimes, right of '{}'",
                                 Line, BO->getOpcodeStr());
      if (BO->isAssignmentOp() && BO->getRHS() == &Child)
        return "";
    }
    for (const Stmt *Other : Parent.children())
      if (Other && Other != &Child && !isPure(dyn_cast<Expr>(Other)))
        return fmt::format("its statement at line {} does something with an "
                           "effect beside the call",
                           Line);
    return "";
  }

  static bool isLoopControl(const Stmt &Loop, const Stmt &Child) {
    if (const auto *W = dyn_cast<WhileStmt>(&Loop))
      return W->getBody() != &Child;
    if (const auto *D = dyn_cast<DoStmt>(&Loop))
      return D->getBody() != &Child;
    if (const auto *F = dyn_cast<ForStmt>(&Loop))
      return F->getBody() != &Child;
    if (const auto *R = dyn_cast<CXXForRangeStmt>(&Loop))
      return R->getBody() != &Child;
    return false;
  }

  /// The locals in scope at \p Statement: declared in the blocks around
  /// it (\p InScope), or by a condition or a `for` (\p Fixed, which cannot
  /// be rewritten). Or why a jump cannot reach it.
  std::string enclosing(const FunctionDecl &FD, const Stmt &Statement,
                        SmallVectorImpl<const VarDecl *> &InScope,
                        SmallVectorImpl<const VarDecl *> &Fixed) {
    auto AddAll = [](const Stmt *S, SmallVectorImpl<const VarDecl *> &To) {
      if (const auto *DS = dyn_cast_or_null<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            To.push_back(VD);
    };
    // What an init-statement or a condition declares.
    auto Conditions = [&](const Stmt *Init, const VarDecl *Cond) {
      AddAll(Init, Fixed);
      if (Cond)
        Fixed.push_back(Cond);
    };
    const Stmt *Cur = &Statement;
    while (Cur != FD.getBody()) {
      const Stmt *P = X.parentAs<Stmt>(*Cur);
      if (!P)
        return "its statement is not plain code";
      if (isa<CXXTryStmt, CXXCatchStmt, CXXForRangeStmt, SEHTryStmt,
              SEHExceptStmt, SEHFinallyStmt, CapturedStmt>(P))
        return fmt::format("its statement at line {} is inside a try "
                           "block, a handler or a range-for, which a jump "
                           "cannot enter",
                           X.lineOf(&Statement));
      if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
        for (const Stmt *S : CS->body()) {
          if (S == Cur)
            break;
          AddAll(S, InScope);
        }
      } else if (const auto *For = dyn_cast<ForStmt>(P)) {
        Conditions(For->getInit(), For->getConditionVariable());
      } else if (const auto *If = dyn_cast<IfStmt>(P)) {
        Conditions(If->getInit(), If->getConditionVariable());
      } else if (const auto *While = dyn_cast<WhileStmt>(P)) {
        Conditions(nullptr, While->getConditionVariable());
      } else if (const auto *Switch = dyn_cast<SwitchStmt>(P)) {
        Conditions(Switch->getInit(), Switch->getConditionVariable());
      }
      Cur = P;
    }
    return "";
  }

  /// The locals \p Statement reads, all but the target of its `=`.
  static DenseSet<const VarDecl *> readIn(const Stmt &Statement,
                                         const Expr *AssignedTo) {
    DenseSet<const VarDecl *> Read;
    SmallVector<const Stmt *, 16> Work{&Statement};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S || S == AssignedTo || isa<LambdaExpr>(S))
        continue;
      if (const auto *DR = dyn_cast<DeclRefExpr>(S))
        if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
          Read.insert(VD);
      // An `if` or `switch` reads only its condition before the call.
      if (const auto *If = dyn_cast<IfStmt>(S)) {
        Work.push_back(If->getCond());
        continue;
      }
      if (const auto *Switch = dyn_cast<SwitchStmt>(S)) {
        Work.push_back(Switch->getCond());
        continue;
      }
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            Work.push_back(VD->getInit());
        continue;
      }
      for (const Stmt *C : S->children())
        Work.push_back(C);
    }
    return Read;
  }

  /// Whether a jump may cross \p VD's declaration as it is written: no
  /// initialiser, and a type whose default initialisation does nothing.
  bool vacuous(const VarDecl &VD) const {
    QualType T = VD.getType();
    if (T->isReferenceType() || T.isDestructedType())
      return false;
    const Expr *Init = VD.getInit();
    if (!Init)
      return true;
    const auto *Construct = dyn_cast<CXXConstructExpr>(Init);
    return Construct && Construct->getNumArgs() == 0 &&
           Construct->getConstructor()->isTrivial();
  }

  /// `int b = e;` as `int b; b = e;`: the edit of the ` = `, for a
  /// scalar alone in its declaration with its type written out.
  std::optional<TextEdit> splitDeclaration(const VarDecl &VD) {
    QualType T = VD.getType();
    const auto *DS = X.parentAs<DeclStmt>(VD);
    if (!DS || !DS->isSingleDecl() || !T->isScalarType() ||
        T.isConstQualified() || VD.getInitStyle() != VarDecl::CInit ||
        !VD.getInit() || T->getContainedDeducedType() ||
        !VD.getLocation().isFileID())
      return std::nullopt;
    SourceLocation NameEnd =
        Lexer::getLocForEndOfToken(VD.getLocation(), 0, X.SM, X.LO);
    SourceLocation InitBegin = VD.getInit()->getBeginLoc();
    if (NameEnd.isInvalid() || !InitBegin.isFileID())
      return std::nullopt;
    TextEdit Split;
    Split.Where = X.anchor(CharSourceRange::getCharRange(NameEnd, InitBegin));
    StringRef Between = Lexer::getSourceText(
        CharSourceRange::getCharRange(NameEnd, InitBegin), X.SM, X.LO);
    if (Between.trim() != "=")
      return std::nullopt;
    Split.Text = fmt::format("; {} = ", VD.getName());
    return Split;
  }

  FunctionState &state(const FunctionDecl &FD) {
    std::unique_ptr<FunctionState> &S = States[&FD];
    if (S)
      return *S;
    S = std::make_unique<FunctionState>();
    S->Context = std::make_unique<AnalysisDeclContext>(nullptr, &FD);
    S->Context->getCFGBuildOptions().setAllAlwaysAdd();
    S->Live = LiveVariables::computeLiveness(*S->Context,
                                             /*killAtAssign=*/true);
    // A local is used through its address unless each use reads it or
    // assigns it.
    SmallVector<const Stmt *, 32> Work{FD.getBody()};
    while (!Work.empty()) {
      const Stmt *St = Work.pop_back_val();
      if (!St)
        continue;
      for (const Stmt *C : St->children())
        Work.push_back(C);
      const auto *DR = dyn_cast<DeclRefExpr>(St);
      const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
      if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
        continue;
      const Stmt *P = X.parentAs<Stmt>(*DR);
      while (const auto *Paren = dyn_cast_or_null<ParenExpr>(P)) {
        P = X.parentAs<Stmt>(*Paren);
      }
      bool Plain = false;
      if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(P))
        Plain = Cast->getCastKind() == CK_LValueToRValue;
      else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
        Plain = BO->isAssignmentOp();
      else if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P))
        Plain = UO->isIncrementDecrementOp();
      if (!Plain)
        S->Addressed.insert(VD);
    }
    return *S;
  }

  DenseMap<const FunctionDecl *, std::unique_ptr<FunctionState>> States;
};

} // namespace

std::unique_ptr<Facet> makeResumeFacet(ExtractContext &X) {
  return std::make_unique<ResumeFacet>(X);
}

} // namespace vinyl::extract
