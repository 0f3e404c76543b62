//===- TwinsFacet.cpp - Synchronous twins out of step with their coroutine ===//
//
// A synchronous twin (`R f(vinyl::twin_t, P...)`) is a copy of its
// coroutine's original body. The comment above it carries the fingerprint
// of both bodies as the conversion wrote them (facts/Fingerprint.h): when
// the code now gives another, one of the two changed without the other,
// and blocking mode (the twin) and async mode (the coroutine) may no
// longer do the same thing. Recorded as a finding, which --check reports.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "vinyl-asyncify/extract/CallSites.h"
#include "vinyl-asyncify/facts/Fingerprint.h"
#include "vinyl-asyncify/facts/Format.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class TwinsFacet : public Facet {
public:
  using Facet::Facet;

  void functionDecl(const FunctionDecl &FD) override {
    if (!FD.doesThisDeclarationHaveABody() || FD.isTemplateInstantiation() ||
        !isTwinTag(FD) || !FD.getIdentifier())
      return;
    SourceLocation Begin = FD.getBeginLoc();
    if (const FunctionTemplateDecl *T = FD.getDescribedFunctionTemplate())
      Begin = T->getBeginLoc();
    if (!Begin.isFileID() || !X.isWritableLoc(Begin))
      return;
    // The fingerprint, in the comment right above the twin.
    StringRef Before = X.SM.getBufferData(X.SM.getFileID(Begin))
                           .take_front(X.SM.getFileOffset(Begin));
    size_t Key = Before.rfind(TwinFingerprintKey);
    if (Key == StringRef::npos || Before.drop_front(Key).count('\n') > 2)
      return; // Written by hand: nothing to compare with.
    StringRef Recorded =
        Before.drop_front(Key + TwinFingerprintKey.size()).take_front(16);
    const FunctionDecl *Coroutine = coroutineOf(FD);
    std::string Name = FD.getQualifiedNameAsString();
    if (!Coroutine) {
      X.Out.Findings.push_back(
          {X.location(FD.getLocation()), "vinyl-twin-out-of-step",
           fmt::format("'{}' is a synchronous twin, but no coroutine of "
                       "its name and parameters is left beside it",
                       Name)});
      return;
    }
    std::string Now = twinFingerprint(bodyText(*Coroutine->getBody()),
                                      bodyText(*FD.getBody()));
    if (Now == Recorded)
      return;
    X.Out.Findings.push_back(
        {X.location(FD.getLocation()), "vinyl-twin-out-of-step",
         fmt::format("the synchronous twin of '{}' no longer matches its "
                     "coroutine as converted: one of the two changed "
                     "without the other, so blocking and async mode may "
                     "differ; make the same change in both, then set the "
                     "fingerprint above to {}",
                     Name, Now)});
  }

private:
  StringRef bodyText(const Stmt &Body) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Body.getSourceRange()), X.SM, X.LO);
    return R.isValid() ? Lexer::getSourceText(R, X.SM, X.LO) : StringRef();
  }

  /// The coroutine beside \p Twin: of its name or its name's async name,
  /// returning the task type, with its parameters after the tag; of a
  /// split function (fast_paths), its coroutine half, whose tag is
  /// vinyl::slow_t, rather than its plain half.
  const FunctionDecl *coroutineOf(const FunctionDecl &Twin) {
    for (std::string Name :
         {Twin.getName().str(), X.Cfg.asyncName(Twin.getName())}) {
      const FunctionDecl *FD = X.taskSibling(Twin, Name, /*Skip=*/1);
      if (FD && isTaskType(FD->getReturnType(), std::string(FastTaskType)))
        FD = X.slowSibling(Twin, Name, /*Skip=*/1);
      if (FD)
        if (const FunctionDecl *Def = FD->getDefinition())
          return Def;
    }
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Facet> makeTwinsFacet(ExtractContext &X) {
  return std::make_unique<TwinsFacet>(X);
}

} // namespace vinyl::extract
