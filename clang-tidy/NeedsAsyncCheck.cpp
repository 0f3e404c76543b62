//===- NeedsAsyncCheck.cpp - vinyl-needs-async ----------------------------===//
//
// The single-TU part reports at the call that drops the task: that is the
// line to change. The whole-program part reports at the definition, with a
// note per step of the chain, at its place when the file is part of this TU
// and as text otherwise. Converting is the CLI's job (callers change too),
// so the only fix-it is the local alternative, attached to a note (applied
// with --fix-notes): wait for the task with block_on.
//
//===----------------------------------------------------------------------===//
#include "NeedsAsyncCheck.h"

#include "vinyl-asyncify/extract/CallSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace vinyl::tidy {

NeedsAsyncCheck::NeedsAsyncCheck(StringRef Name, ClangTidyContext *Context)
    : VinylCheck(Name, Context),
      FactsFileOption(Options.getLocalOrGlobal("FactsFile", "")) {}

void NeedsAsyncCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  VinylCheck::storeOptions(Opts);
  Options.store(Opts, "FactsFile", FactsFileOption);
}

void NeedsAsyncCheck::registerMatchers(MatchFinder *Finder) {
  if (!matchUserCalls(Finder))
    return;
  if (FactsFileOption.empty())
    return;
  Expected<FactsFile> Loaded =
      loadFactsFile(resolveOptionPath(FactsFileOption));
  if (!Loaded) {
    reportConfigError(toString(Loaded.takeError()),
                      "whole-program verdicts are off");
    return;
  }
  Facts = std::move(*Loaded);
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()),
                                  unless(isImplicit()))
                         .bind("function"),
                     this);
}

void NeedsAsyncCheck::check(const MatchFinder::MatchResult &R) {
  if (const auto *Call = R.Nodes.getNodeAs<CallExpr>("call"))
    checkCall(*Call, R);
  if (const auto *FD = R.Nodes.getNodeAs<FunctionDecl>("function"))
    checkFunction(*FD, R);
}

/// A function that returns a task without being a coroutine forwards one:
/// it is async by its type.
static bool isSynchronous(const FunctionDecl &FD,
                          llvm::ArrayRef<std::string> TaskTypes) {
  return !isa_and_nonnull<CoroutineBodyStmt>(FD.getBody()) &&
         !isTaskType(FD.getReturnType(), TaskTypes);
}

void NeedsAsyncCheck::checkCall(const CallExpr &Call,
                                const MatchFinder::MatchResult &R) {
  if (!isTaskType(Call.getType(), taskTypes()))
    return;
  ASTContext &Ctx = *R.Context;
  CallPlace Place = placeOf(Call, Ctx);
  if (!Place.Function || Place.InCoroutine || Place.Unevaluated ||
      !isSynchronous(*Place.Function, taskTypes()))
    return;
  bool Discarded = isDiscarded(Call, Ctx);
  const VarDecl *Var = Discarded ? nullptr : initialisedVariable(Call, Ctx);
  if (!Discarded && (!Var || Var->isReferenced()))
    return; // Handed on: to block_on, spawn, a container, a return.
  const FunctionDecl *Callee = Call.getDirectCallee();
  diag(Call.getBeginLoc(),
       "'%0' is synchronous but calls the async function %1 without "
       "awaiting it, so the task never runs; '%0' must become a coroutine")
      << displayName(*Place.Function)
      << (Callee ? (Twine("'") + displayName(*Callee) + "'").str() : "here")
      << Call.getSourceRange();
  if (!Discarded)
    return;
  const SourceManager &SM = *R.SourceManager;
  CharSourceRange Whole = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Call.getSourceRange()), SM, getLangOpts());
  if (Whole.isInvalid())
    return;
  auto Note = diag(Call.getBeginLoc(),
                   "or, to keep '%0' synchronous, wait for the task with '%1'",
                   DiagnosticIDs::Note)
              << displayName(*Place.Function) << config()->BlockOn;
  Note << FixItHint::CreateInsertion(Whole.getBegin(), config()->BlockOn + "(")
       << FixItHint::CreateInsertion(Whole.getEnd(), ")");
  if (std::optional<FixItHint> Include = includeRuntime(SM))
    Note << *Include;
}

void NeedsAsyncCheck::checkFunction(const FunctionDecl &FD,
                                    const MatchFinder::MatchResult &R) {
  // The pattern speaks for its instantiations; facades and synchronous
  // twins stay synchronous by design. `main` is reported when the facts
  // say it is async: its body becomes main_async under its facade.
  if (FD.isTemplateInstantiation() || !isSynchronous(FD, taskTypes()) ||
      facadeTwinCall(*config(), FD) || isTwinTag(FD))
    return;
  const AsyncVerdict *Verdict =
      Facts->findAsync(functionId(FD), FD.getQualifiedNameAsString());
  if (!Verdict)
    return;
  diag(FD.getLocation(), "'%0' must become a coroutine: the whole-program "
                         "analysis found that it reaches blocking I/O%1")
      << displayName(FD)
      << (Verdict->Facade ? " (its name stays, as a blocking facade)" : "");
  SourceManager &SM = *R.SourceManager;
  for (const Note &Step : Verdict->Why) {
    SourceLocation Loc;
    if (Step.Loc.valid())
      if (auto File = SM.getFileManager().getOptionalFileRef(Step.Loc.File))
        Loc = SM.translateFileLineCol(*File, Step.Loc.Line, Step.Loc.Column);
    if (Loc.isValid()) {
      diag(Loc, "%0", DiagnosticIDs::Note) << Step.Message;
      continue;
    }
    std::string Where;
    if (Step.Loc.valid())
      Where = (Twine(Step.Loc.File) + ":" + Twine(Step.Loc.Line) + ":" +
               Twine(Step.Loc.Column) + ": ")
                  .str();
    diag(FD.getLocation(), "%0%1", DiagnosticIDs::Note)
        << Where << Step.Message;
  }
}

} // namespace vinyl::tidy
