//===- BlockingCallInCoroutineCheck.cpp - vinyl-blocking-call-in-coroutine ===//
//
// Leaves are recognised by the library's findLeaf, the same lookup the
// extraction uses, so the check and the conversion agree on what blocks,
// including a project's own leaves and remove_leaves.
//
//===----------------------------------------------------------------------===//
#include "BlockingCallInCoroutineCheck.h"

#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace vinyl::tidy {

void BlockingCallInCoroutineCheck::check(const MatchFinder::MatchResult &R) {
  const auto *Call = R.Nodes.getNodeAs<CallExpr>("call");
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return;
  const LeafRule *Leaf = findLeaf(*config(), *Callee);
  if (!Leaf)
    return;
  ASTContext &Ctx = *R.Context;
  CallPlace Place = placeOf(*Call, Ctx);
  if (!Place.InCoroutine || Place.Unevaluated)
    return;
  auto Warn = [&] {
    return diag(Call->getBeginLoc(),
                "blocking call to '%0' in coroutine '%1' stalls every task "
                "on this thread; use 'co_await %2'")
           << Leaf->Name << displayName(*Place.Function) << Leaf->Replacement
           << Call->getSourceRange();
  };
  if (Place.CannotAwait) {
    Warn(); // Emitted before its note.
    diag(Call->getBeginLoc(), Place.CannotAwait, DiagnosticIDs::Note);
    return;
  }
  auto D = Warn();
  // Replace the callee as written, qualifier included ("::read").
  const SourceManager &SM = *R.SourceManager;
  CharSourceRange Name = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(
          Call->getCallee()->IgnoreImplicit()->getSourceRange()),
      SM, getLangOpts());
  CharSourceRange Whole = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Call->getSourceRange()), SM,
      getLangOpts());
  if (Name.isInvalid() || Whole.isInvalid())
    return; // Written by a macro.
  bool Parens = awaitNeedsParens(Call, Ctx);
  std::string Await = Parens ? "(co_await " : "co_await ";
  // One edit where the call starts with its callee, so that no insertion
  // and replacement share an offset.
  if (Name.getBegin() == Whole.getBegin())
    D << FixItHint::CreateReplacement(Name, Await + Leaf->Replacement);
  else
    D << FixItHint::CreateInsertion(Whole.getBegin(), Await)
      << FixItHint::CreateReplacement(Name, Leaf->Replacement);
  if (Parens)
    D << FixItHint::CreateInsertion(Whole.getEnd(), ")");
  if (std::optional<FixItHint> Include = includeRuntime(SM))
    D << *Include;
}

} // namespace vinyl::tidy
