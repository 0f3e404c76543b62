//===- UninstantiatedCallsFacet.cpp - Template calls no unit instantiates -===//
//
// A call a template makes by an overloaded name of its own class
// (`return get(1) + 1;` in `sock<P>`) is unresolved in the pattern and
// recorded from each instantiation. Text that no instantiation of the TU
// reaches (the discarded branch of an `if constexpr`, a member no
// specialisation uses) would then stay as written, and stop compiling
// wherever another program instantiates it once the callee is a
// coroutine. So such a call is kept, and at the end of the TU, if no
// instantiation recorded it, it is recorded as a call of each overload
// of the paths whose parameters fit its arguments (they become one family,
// as instantiations would make them).
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "llvm/Support/SaveAndRestore.h"

#include <set>

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class UninstantiatedCallsFacet : public Facet {
public:
  using Facet::Facet;

  bool call(const CallExpr &CE) override {
    if (X.inInstantiation() || CE.getDirectCallee())
      return false;
    const auto *Overloads =
        dyn_cast<OverloadExpr>(CE.getCallee()->IgnoreImplicit());
    const FunctionDecl *Caller = X.currentFunction();
    if (!Overloads || !Caller || !Caller->isTemplated())
      return false;
    Pending P{&CE, Caller, X.ForbiddenWhy, X.CatchDepth.back(), {}};
    for (const NamedDecl *D : Overloads->decls()) {
      const FunctionDecl *FD = D->getAsFunction();
      if (FD && X.isOurs(FD) && fits(*FD, CE.getNumArgs()))
        P.Candidates.push_back(FD);
    }
    if (!P.Candidates.empty())
      Calls.push_back(std::move(P));
    return false;
  }

  void finish() override {
    if (Calls.empty())
      return;
    std::set<Anchor> Seen;
    for (const CallFact &C : X.Out.Calls)
      if (C.Dependent)
        Seen.insert(C.Call);
    for (const Pending &P : Calls) {
      std::string Problem;
      Anchor At = X.fileAnchor(P.Call->getSourceRange(), Problem);
      if (At.File.empty() || Seen.count(At))
        continue;
      const auto *Overloads = cast<OverloadExpr>(P.Call->getCallee()->IgnoreImplicit());
      SaveAndRestore Instantiating(X.InInstantiation, true);
      SaveAndRestore Forbidden(X.ForbiddenWhy, P.ForbiddenWhy);
      X.Stack.push_back(P.Caller);
      X.CatchDepth.push_back(P.CatchDepth);
      for (const FunctionDecl *Callee : P.Candidates) {
        CallFact C;
        C.Callee = X.id(Callee);
        C.CalleeName = X.fileAnchor(SourceRange(Overloads->getNameLoc()),
                                    C.Problem);
        X.recordCall(P.Call, std::move(C));
      }
      X.CatchDepth.pop_back();
      X.Stack.pop_back();
    }
  }

private:
  static bool fits(const FunctionDecl &FD, unsigned Args) {
    return FD.getMinRequiredArguments() <= Args &&
           (FD.isVariadic() || Args <= FD.getNumParams());
  }

  struct Pending {
    const CallExpr *Call;
    const FunctionDecl *Caller;
    std::vector<std::string> ForbiddenWhy;
    unsigned CatchDepth;
    std::vector<const FunctionDecl *> Candidates;
  };
  std::vector<Pending> Calls;
};

} // namespace

std::unique_ptr<Facet> makeUninstantiatedCallsFacet(ExtractContext &X) {
  return std::make_unique<UninstantiatedCallsFacet>(X);
}

} // namespace vinyl::extract
