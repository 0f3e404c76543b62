//===- CatchFacet.cpp - Calls to await inside catch handlers --------------===//
//
// co_await is not allowed in a catch handler. A call there that may be
// awaited carries the lowering of its try statement (LowerCatch.cpp),
// made if it is awaited; where the handler cannot be moved (nested in
// another handler, a function-try-block, macros), the call carries the
// problem instead.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"
#include "Lowering.h"

#include "clang/AST/ParentMapContext.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class CatchFacet : public Facet {
public:
  explicit CatchFacet(ExtractContext &X) : Facet(X), Lowerer(X) {}

  void annotate(const Expr &E, CallFact &C) override {
    if (!X.CatchDepth.back() || !C.Problem.empty() ||
        C.Kind == CallKind::AddressTaken)
      return;
    std::string Why = "it is in a handler inside another handler";
    if (X.CatchDepth.back() == 1)
      if (const CXXCatchStmt *Handler = handlerOf(E))
        if (const auto *Try = parentTry(Handler))
          if (std::optional<Lowering> L = Lowerer.tryStatement(Try, &E, Why)) {
            C.Lowerings.push_back(std::move(*L));
            return;
          }
    C.Problem = "it is inside a catch handler, where co_await is not "
                "allowed, and the handler cannot be moved after its try "
                "statement (" + Why + ")";
  }

private:
  /// The handler around \p E in the same function.
  const CXXCatchStmt *handlerOf(const Expr &E) {
    DynTypedNode Node = DynTypedNode::create(E);
    for (;;) {
      DynTypedNodeList Parents = X.Ctx.getParents(Node);
      if (Parents.empty())
        return nullptr;
      Node = Parents[0];
      if (const auto *H = Node.get<CXXCatchStmt>())
        return H;
      if (Node.get<LambdaExpr>() || Node.get<Decl>())
        if (!Node.get<VarDecl>())
          return nullptr;
    }
  }

  const CXXTryStmt *parentTry(const CXXCatchStmt *H) {
    DynTypedNodeList Parents = X.Ctx.getParents(*H);
    return Parents.empty() ? nullptr : Parents[0].get<CXXTryStmt>();
  }

  StatementLowerer Lowerer;
};

} // namespace

std::unique_ptr<Facet> makeCatchFacet(ExtractContext &X) {
  return std::make_unique<CatchFacet>(X);
}

} // namespace vinyl::extract
