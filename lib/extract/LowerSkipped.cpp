//===- LowerSkipped.cpp - Temporaries g++ 12 makes in skipped operands ----===//
//
// g++ 12.2 makes the class temporaries of a full-expression that suspends
// before its first await, all of them, also those of an operand that may
// be skipped (the right of && or ||, a branch of ?:): `if (co_await
// read(fd) != 1 || std::string(buf, n) != line)` builds the string from
// the `n` of before the read, and `ok && std::string(p)` builds it even
// when `ok` is false. A lambda's body is not part of the full-expression,
// so such an operand becomes a lambda called in place, which makes its
// temporaries where and when the operand runs:
//
//   co_await f() || std::string(b, n) != s
//     ->  co_await f() || [&]() -> bool { return std::string(b, n) != s; }()
//
// The operand of && and || is a bool; a branch of ?: of a scalar type
// keeps its type. An operand with a call that turns out to be awaited
// cannot move into a lambda: its edits are dropped then (TextEdit::Unless),
// and the statement lowering of Lowering.h handles the operand. One
// written by a macro cannot be edited: that is reported.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

/// Whether \p S makes a class object of its own (a temporary, or a
/// parameter's copy), or may in a template, outside lambdas.
static bool makesClassObject(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isa<CXXConstructExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr>(
          S) &&
      cast<Expr>(S)->getType()->isRecordType())
    return true;
  if (const auto *List = dyn_cast<InitListExpr>(S);
      List && (List->getType()->isRecordType() ||
               List->getType()->isDependentType()))
    return true;
  // In a template, `T(n)` of a type not known yet.
  if (isa<CXXUnresolvedConstructExpr>(S))
    return true;
  for (const Stmt *Child : S->children())
    if (makesClassObject(Child))
      return true;
  return false;
}

/// Whether \p S is evaluated: not the operand of sizeof, alignof,
/// decltype-like operators or typeid of a type.
static bool unevaluated(const Stmt *S) {
  if (isa<UnaryExprOrTypeTraitExpr>(S))
    return true;
  if (const auto *T = dyn_cast<CXXTypeidExpr>(S))
    return !T->isPotentiallyEvaluated();
  return isa<CXXNoexceptExpr>(S);
}

/// Whether \p S awaits as written (code that was a coroutine already).
static bool awaits(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isa<CoroutineSuspendExpr, DependentCoawaitExpr>(S))
    return true;
  for (const Stmt *Child : S->children())
    if (awaits(Child))
      return true;
  return false;
}

bool StatementLowerer::wrapSkippedTemporaries(const Expr *FullExpr,
                                              const Expr *TheCall,
                                              std::vector<TextEdit> &Edits,
                                              std::string &Why) {
  start(FullExpr, TheCall);
  // Within a function template the text is shared by its instantiations,
  // which must write it alike: the cast to bool then does not depend on
  // one instantiation's type.
  const FunctionDecl *Fn = X.currentFunction();
  bool Shared = X.inInstantiation() || (Fn && Fn->isTemplated());
  bool Ok = true;
  auto Wrap = [&](const Expr *Operand, bool ToBool) {
    SourceLocation B = Operand->getBeginLoc();
    SourceLocation E = tokenEnd(Operand->getEndLoc());
    if (B.isInvalid() || E.isInvalid() || !B.isFileID() || !E.isFileID() ||
        !X.isWritableLoc(B) || X.SM.getFileID(B) != X.SM.getFileID(E)) {
      Why = "it is written by a macro";
      Ok = false;
      return;
    }
    std::string Open = "[&]() { return ", Close = "; }()";
    if (ToBool) {
      bool IsBool =
          !Shared &&
          Operand->IgnoreUnlessSpelledInSource()->getType()->isBooleanType();
      Open = IsBool ? "[&]() -> bool { return "
                    : "[&]() -> bool { return static_cast<bool>(";
      Close = IsBool ? "; }()" : "); }()";
    }
    // Made only if no call in the operand turns out to be awaited.
    Anchor Unless = X.anchor(CharSourceRange::getCharRange(B, E));
    Edits.push_back(
        {X.anchor(CharSourceRange::getCharRange(B, B)), Open, Unless});
    Edits.push_back(
        {X.anchor(CharSourceRange::getCharRange(E, E)), Close, Unless});
  };
  // An operand that may be skipped: wrapped when it makes a class object
  // and awaits nothing; where one of its calls may be awaited, its inner
  // operators are searched too, for the case it is.
  std::function<void(const Stmt *)> Walk;
  auto Skippable = [&](const Expr *Operand, bool ToBool) {
    if (!makesClassObject(Operand))
      return;
    if (awaits(Operand))
      return Walk(Operand);
    Wrap(Operand, ToBool);
    if (containsCandidate(Operand))
      Walk(Operand);
  };
  Walk = [&](const Stmt *S) {
    if (!S || isa<LambdaExpr>(S) || unevaluated(S))
      return;
    if (const auto *Op = dyn_cast<BinaryOperator>(S); Op && Op->isLogicalOp()) {
      Walk(Op->getLHS());
      Skippable(Op->getRHS(), /*ToBool=*/true);
      return;
    }
    if (const auto *C = dyn_cast<ConditionalOperator>(S)) {
      Walk(C->getCond());
      // A class-typed ?: is lowered into an if (Lowering.h); a glvalue
      // one or a throw in a branch cannot become a lambda's value.
      QualType T = C->getType();
      if (C->isPRValue() && T->isScalarType() &&
          !C->getTrueExpr()->getType()->isVoidType() &&
          !C->getFalseExpr()->getType()->isVoidType()) {
        Skippable(C->getTrueExpr(), false);
        Skippable(C->getFalseExpr(), false);
      } else {
        Walk(C->getTrueExpr());
        Walk(C->getFalseExpr());
      }
      return;
    }
    for (const Stmt *Child : S->children())
      Walk(Child);
  };
  Walk(Full);
  return Ok;
}

} // namespace vinyl::extract
