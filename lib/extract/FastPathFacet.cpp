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
// Where the rest of the body outside the cold part is free of side effects
// too (`return buf[pos];`), a ready call changed nothing and may be made
// again (ReadyPure).
//
// This records the shape (FastPathFact); whether every await lies in the
// cold part is known only once the solver has coloured the callees.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"
#include "Purity.h"

#include "vinyl-asyncify/facts/Format.h"

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
            return isPureDeclaration(D);
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
    while (Guard && !isPure(Guard)) {
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
    P.ReadyPure = llvm::all_of(Body.body(), [&](const Stmt *S) {
      return S == If ? pureStatement(If->getElse()) : pureStatement(S);
    });
    return P;
  }

  /// Whether running \p S changes nothing (a null \p S does nothing).
  static bool pureStatement(const Stmt *S) {
    if (!S || isa<NullStmt>(S))
      return true;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      return llvm::all_of(DS->decls(), isPureDeclaration);
    if (const auto *RS = dyn_cast<ReturnStmt>(S))
      return isPure(RS->getRetValue());
    if (const auto *E = dyn_cast<Expr>(S))
      return isPure(E);
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      return llvm::all_of(CS->body(), pureStatement);
    return false;
  }

  /// Functions with a guard, and whether they return void.
  DenseMap<const FunctionDecl *, bool> ReturnsVoid;
};

} // namespace

std::unique_ptr<Facet> makeFastPathFacet(ExtractContext &X) {
  return std::make_unique<FastPathFacet>(X);
}

} // namespace vinyl::extract
