//===- UnawaitedTaskCheck.cpp - vinyl-unawaited-task ----------------------===//
//
// Only results that are plainly unused are reported: a task handed to a
// function (spawn, a container, block_on) or moved somewhere has a new
// owner that may await it. A cast to void is a deliberate discard.
//
//===----------------------------------------------------------------------===//
#include "UnawaitedTaskCheck.h"

#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace vinyl::tidy {

/// "'f_async'" for a named callee; calls through pointers have no name.
static std::string calleeName(const CallExpr &Call) {
  if (const FunctionDecl *FD = Call.getDirectCallee())
    return (llvm::Twine("'") + displayName(*FD) + "'").str();
  return "this call";
}

void UnawaitedTaskCheck::check(const MatchFinder::MatchResult &R) {
  const auto *Call = R.Nodes.getNodeAs<CallExpr>("call");
  if (!isTaskType(Call->getType(), taskTypes()))
    return;
  ASTContext &Ctx = *R.Context;
  CallPlace Place = placeOf(*Call, Ctx);
  if (!Place.InCoroutine || Place.Unevaluated)
    return;
  bool Editable = !Place.CannotAwait && Call->getBeginLoc().isFileID();

  if (isDiscarded(*Call, Ctx)) {
    {
      auto D = diag(Call->getBeginLoc(), "the task returned by %0 is "
                                         "discarded without being awaited, "
                                         "so it never runs")
               << calleeName(*Call) << Call->getSourceRange();
      if (Editable)
        D << FixItHint::CreateInsertion(Call->getBeginLoc(), "co_await ");
    } // Emitted here, before its note.
    if (Place.CannotAwait)
      diag(Call->getBeginLoc(), Place.CannotAwait, DiagnosticIDs::Note);
    return;
  }

  // A task kept in a variable nobody mentions is the same mistake with a
  // name; awaiting it in place keeps the order of effects.
  const VarDecl *Var = initialisedVariable(*Call, Ctx);
  if (!Var || Var->isReferenced())
    return;
  auto D =
      diag(Var->getLocation(), "task '%0' is never awaited, so %1 never runs")
      << Var->getName() << calleeName(*Call);
  DynTypedNodeList Parents = Ctx.getParents(*Var);
  const auto *Decl = Parents.empty() ? nullptr : Parents[0].get<DeclStmt>();
  if (!Editable || !Decl || !Decl->getBeginLoc().isFileID())
    return;
  D << FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(Decl->getBeginLoc(), Call->getBeginLoc()),
      "co_await ");
}

} // namespace vinyl::tidy
