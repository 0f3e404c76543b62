//===- BlockingWaitInCoroutineCheck.cpp - vinyl-blocking-wait-in-coroutine ===//
//
// A facade is recognised by its shape (library: facadeTwinCall) when its
// body is in the TU; when only declarations are visible, by the name scheme:
// a sibling named by Config::asyncName that returns the task type and takes
// the same parameters is the twin the conversion would have created.
//
//===----------------------------------------------------------------------===//
#include "BlockingWaitInCoroutineCheck.h"

#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace vinyl::tidy {

void BlockingWaitInCoroutineCheck::check(const MatchFinder::MatchResult &R) {
  const auto *Call = R.Nodes.getNodeAs<CallExpr>("call");
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return;
  bool Wait = isBlockOn(*config(), *Callee);
  // Operators and conversions cannot be renamed to a twin; skip them early.
  if (!Wait && !Callee->getDeclName().isIdentifier())
    return;
  CallPlace Place = placeOf(*Call, *R.Context);
  if (!Place.InCoroutine || Place.Unevaluated)
    return;
  if (Wait)
    checkBlockOn(*Call, Place, R);
  else
    checkFacade(*Call, *Callee, Place, R);
}

/// `co_await` takes a cast-expression: a binary or conditional operand
/// needs parentheses to stay whole.
static bool operandNeedsParens(const Expr &E) {
  return isa<BinaryOperator, AbstractConditionalOperator, CXXThrowExpr>(
      E.IgnoreImplicit());
}

void BlockingWaitInCoroutineCheck::checkBlockOn(
    const CallExpr &Call, const CallPlace &Place,
    const MatchFinder::MatchResult &R) {
  if (Call.getNumArgs() != 1)
    return;
  auto Warn = [&] {
    return diag(Call.getBeginLoc(),
                "'%0' in coroutine '%1' blocks the thread until the task "
                "finishes; co_await the task instead")
           << config()->BlockOn << displayName(*Place.Function)
           << Call.getSourceRange();
  };
  if (Place.CannotAwait) {
    Warn(); // Emitted before its note.
    diag(Call.getBeginLoc(), Place.CannotAwait, DiagnosticIDs::Note);
    return;
  }
  auto D = Warn();
  const SourceManager &SM = *R.SourceManager;
  const LangOptions &LO = getLangOpts();
  CharSourceRange Whole = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Call.getSourceRange()), SM, LO);
  CharSourceRange Arg = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Call.getArg(0)->getSourceRange()), SM, LO);
  if (Whole.isInvalid() || Arg.isInvalid())
    return;
  bool Outer = awaitNeedsParens(&Call, *R.Context);
  bool Inner = operandNeedsParens(*Call.getArg(0));
  // "vinyl::block_on(" becomes "co_await ", its ")" goes.
  D << FixItHint::CreateReplacement(
           CharSourceRange::getCharRange(Whole.getBegin(), Arg.getBegin()),
           std::string(Outer ? "(" : "") + "co_await " + (Inner ? "(" : ""))
    << FixItHint::CreateReplacement(
           CharSourceRange::getCharRange(Arg.getEnd(), Whole.getEnd()),
           std::string(Inner ? ")" : "") + (Outer ? ")" : ""));
}

/// The sibling the name scheme names, returning a task and taking the same
/// parameters, when \p Facade's body is not in this TU.
static const FunctionDecl *twinByName(const FunctionDecl &Facade,
                                      const Config &C,
                                      llvm::ArrayRef<std::string> TaskTypes,
                                      ASTContext &Ctx) {
  std::string Name = C.asyncName(Facade.getName());
  const DeclContext *DC = Facade.getDeclContext()->getRedeclContext();
  for (const NamedDecl *ND : DC->lookup(&Ctx.Idents.get(Name))) {
    const auto *Twin = dyn_cast<FunctionDecl>(ND->getUnderlyingDecl());
    if (!Twin || !isTaskType(Twin->getReturnType(), TaskTypes) ||
        Twin->getNumParams() != Facade.getNumParams())
      continue;
    bool Same = true;
    for (unsigned I = 0, N = Twin->getNumParams(); I != N && Same; ++I)
      Same = Ctx.hasSameType(Twin->getParamDecl(I)->getType(),
                             Facade.getParamDecl(I)->getType());
    if (Same)
      return Twin;
  }
  return nullptr;
}

/// The callee's name token as written at the call: "f" in "ns::f(x)" and
/// in "obj.f(x)".
static SourceLocation calleeNameLoc(const CallExpr &Call) {
  const Expr *Callee = Call.getCallee()->IgnoreImplicit()->IgnoreParens();
  if (const auto *Member = dyn_cast<MemberExpr>(Callee))
    return Member->getMemberLoc();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Callee))
    return Ref->getLocation();
  return {};
}

void BlockingWaitInCoroutineCheck::checkFacade(
    const CallExpr &Call, const FunctionDecl &Facade, const CallPlace &Place,
    const MatchFinder::MatchResult &R) {
  ASTContext &Ctx = *R.Context;
  const Config &C = *config();
  const FunctionDecl *Twin = nullptr;
  bool Renamable = false;
  if (const FunctionDecl *Def = Facade.getDefinition()) {
    const CallExpr *TwinCall = facadeTwinCall(C, *Def);
    if (!TwinCall)
      return;
    Twin = TwinCall->getDirectCallee();
    // Renaming the callee reaches the twin only when the facade forwards
    // its parameters unchanged to a function of the same scope.
    Renamable = forwardsParameters(*Def, *TwinCall) &&
                Twin->getDeclContext()->getRedeclContext()->Equals(
                    Def->getDeclContext()->getRedeclContext());
  } else {
    Twin = twinByName(Facade, C, taskTypes(), Ctx);
    Renamable = Twin != nullptr;
  }
  if (!Twin || !Twin->getDeclName().isIdentifier() ||
      Twin->getCanonicalDecl() == Place.Function->getCanonicalDecl())
    return;
  // Default arguments the call relies on must exist on the twin too.
  for (unsigned I = 0, N = Call.getNumArgs(); I != N && Renamable; ++I)
    if (isa<CXXDefaultArgExpr>(Call.getArg(I)))
      Renamable =
          I < Twin->getNumParams() && Twin->getParamDecl(I)->hasDefaultArg();

  auto Warn = [&] {
    return diag(Call.getBeginLoc(),
                "'%0' is a blocking facade over '%1'; in coroutine '%2', "
                "co_await '%1' instead")
           << displayName(Facade) << displayName(*Twin)
           << displayName(*Place.Function) << Call.getSourceRange();
  };
  if (Place.CannotAwait) {
    Warn(); // Emitted before its note.
    diag(Call.getBeginLoc(), Place.CannotAwait, DiagnosticIDs::Note);
    return;
  }
  auto D = Warn();
  SourceLocation NameLoc = calleeNameLoc(Call);
  if (!Renamable || NameLoc.isInvalid() || !NameLoc.isFileID() ||
      !Call.getBeginLoc().isFileID() || !Call.getEndLoc().isFileID())
    return;
  const SourceManager &SM = *R.SourceManager;
  std::string Await = awaitNeedsParens(&Call, Ctx) ? "(co_await " : "co_await ";
  CharSourceRange Name = CharSourceRange::getTokenRange(NameLoc, NameLoc);
  std::string NewName = Twin->getName().str();
  if (NameLoc == Call.getBeginLoc()) {
    D << FixItHint::CreateReplacement(Name, Await + NewName);
  } else {
    D << FixItHint::CreateInsertion(Call.getBeginLoc(), Await)
      << FixItHint::CreateReplacement(Name, NewName);
  }
  if (Await[0] == '(')
    D << FixItHint::CreateInsertion(
        Lexer::getLocForEndOfToken(Call.getEndLoc(), 0, SM, getLangOpts()),
        ")");
}

} // namespace vinyl::tidy
