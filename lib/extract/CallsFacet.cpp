//===- CallsFacet.cpp - Call sites and how co_await goes in front ---------===//
//
// Every call of a function of the paths, of a rules leaf (by qualified
// name), of an awaitable that replaced a leaf, and of the blocking wait:
// the callee, the name to rename or replace, and, for every call recorded
// by any facet, whether `co_await` in front of it needs parentheses and
// whether it sits in a condition. Constructors of the paths' classes are
// implicit calls: they can never be awaited.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

#include <fmt/format.h>

#include <functional>
#include <optional>

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

/// Whether \p E lies in the condition of an if, while, for, do or switch.
bool inCondition(const Expr *E, ASTContext &Ctx) {
  DynTypedNode Child = DynTypedNode::create(*E);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return false;
    DynTypedNode P = Parents[0];
    const Stmt *S = P.get<Stmt>();
    const Stmt *C = Child.get<Stmt>();
    if (const auto *If = dyn_cast_or_null<IfStmt>(S))
      return If->getCond() == C;
    if (const auto *W = dyn_cast_or_null<WhileStmt>(S))
      return W->getCond() == C;
    if (const auto *D = dyn_cast_or_null<DoStmt>(S))
      return D->getCond() == C;
    if (const auto *F = dyn_cast_or_null<ForStmt>(S))
      return F->getCond() == C;
    if (const auto *Sw = dyn_cast_or_null<SwitchStmt>(S))
      return Sw->getCond() == C;
    if (!S || isa<CompoundStmt, LambdaExpr>(S))
      return false;
    Child = P;
  }
}

/// The lambda \p CE is written in, when that lambda is the argument of a
/// call of vinyl::offload (`vinyl::offload([&] { return f(a); })`): the
/// call was offloaded by an earlier conversion.
bool inOffloadedLambda(const CallExpr &CE, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(CE);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    if (Node.get<LambdaExpr>()) {
      for (DynTypedNode Up = Node;;) {
        DynTypedNodeList Ps = Ctx.getParents(Up);
        if (Ps.empty())
          return false;
        Up = Ps[0];
        if (const auto *Call = Up.get<CallExpr>()) {
          const FunctionDecl *FD = Call->getDirectCallee();
          return FD && FD->getQualifiedNameAsString() == OffloadFunction;
        }
        if (!Up.get<Expr>() || Up.get<LambdaExpr>())
          return false;
      }
    }
    // The walk may reach the lambda's call operator (its body's parent)
    // rather than the LambdaExpr: go on from the lambda's class.
    if (const auto *D = Node.get<Decl>()) {
      const auto *M = dyn_cast<CXXMethodDecl>(D);
      if (!M || !M->getParent()->isLambda())
        return false;
      Node = DynTypedNode::create(*static_cast<const Decl *>(M->getParent()));
    }
  }
}

/// The offloaded leaf a lambda given to vinyl::offload calls, if any.
const LeafRule *offloadedLeaf(const Stmt *S, const Config &Cfg) {
  if (!S)
    return nullptr;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (const LeafRule *Leaf = findLeaf(Cfg, *FD); Leaf && Leaf->Offload)
        return Leaf;
  for (const Stmt *Child : S->children())
    if (const LeafRule *Leaf = offloadedLeaf(Child, Cfg))
      return Leaf;
  return nullptr;
}

class CallsFacet : public Facet {
public:
  using Facet::Facet;

  bool call(const CallExpr &CE) override {
    const FunctionDecl *Callee = CE.getDirectCallee();
    if (!Callee)
      return false;
    std::string Name = Callee->getQualifiedNameAsString();
    CallFact C;
    if (isBlockOn(X.Cfg, *Callee) && CE.getNumArgs() == 1) {
      X.BlockedOn.insert(CE.getArg(0)->IgnoreImplicit());
      C.Callee = "wait:" + Name;
      C.Kind = CallKind::BlockingWait;
      const Expr *Ref = CE.getCallee()->IgnoreImplicit();
      C.CalleeName = X.fileAnchor(Ref->getSourceRange(), C.Problem);
      X.recordCall(&CE, std::move(C));
      return true;
    }
    const LeafRule *Replaced = X.Cfg.findReplacement(Name);
    if (!Replaced && Name == OffloadFunction && CE.getNumArgs() == 1)
      if (const auto *L =
              dyn_cast<LambdaExpr>(CE.getArg(0)->IgnoreImplicitAsWritten()))
        Replaced = offloadedLeaf(L->getBody(), X.Cfg);
    if (const LeafRule *Leaf = Replaced) {
      // Already the awaitable: nothing to rewrite, but it is where this
      // coroutine's I/O happens, which --explain and --graph show.
      C.Callee = "leaf:" + Leaf->Name;
      C.Awaited = true;
      // The rule did match: this is the call it replaced.
      X.Out.LeavesSeen.push_back(Leaf->Name);
      X.recordCall(&CE, std::move(C));
      return true;
    }
    if (const LeafRule *Leaf = findLeaf(X.Cfg, *Callee)) {
      // Offloaded already: the worker thread makes this call.
      if (Leaf->Offload && inOffloadedLambda(CE, X.Ctx))
        return true;
      C.Callee = "leaf:" + Leaf->Name;
      const Expr *Ref = CE.getCallee()->IgnoreImplicit();
      C.CalleeName = X.fileAnchor(Ref->getSourceRange(), C.Problem);
      if (const auto *M = dyn_cast<MemberExpr>(Ref);
          M && !Leaf->Offload && isa<CXXMethodDecl>(Callee) &&
          !cast<CXXMethodDecl>(Callee)->isStatic())
        memberLeaf(CE, *M, C);
      X.Out.LeavesSeen.push_back(Leaf->Name);
      // A function declared under the paths may also be defined there (a
      // project's own `send`): then it is code to convert, not a leaf. Only
      // the whole program knows; resolveLeaves() decides after merging.
      if (X.isOurs(Callee)) {
        C.LeafName = Leaf->Name;
        C.LeafCallee = C.CalleeName;
        C.Callee = X.id(Callee);
        C.CalleeName = X.nameAnchor(&CE, C.Problem);
      }
    } else if (X.isOurs(Callee)) {
      C.Callee = X.id(Callee);
      C.CalleeName = X.nameAnchor(&CE, C.Problem);
    } else if (std::string Twin = twinOf(*Callee); !Twin.empty()) {
      // A converted library's facade: its coroutine is where the I/O is.
      C.Callee = "leaf:" + Name;
      C.Twin = std::move(Twin);
      C.CalleeName = X.nameAnchor(&CE, C.Problem);
      X.Out.LeavesSeen.push_back(Name);
    } else {
      return true;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&CE))
      if (Op->getOperator() != OO_Call && Op->getOperator() != OO_Subscript)
        C.Kind = CallKind::Operator;
    // `p->m` calls operator-> and uses its result in one step: nothing can
    // await between, so what it calls stays synchronous (the solver pins
    // it, as it does a range-for's iteration calls).
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&CE);
        Op && Op->getOperator() == OO_Arrow) {
      C.Kind = CallKind::Implicit;
      if (C.Problem.empty())
        C.Problem = "'->' calls it here and uses its result at once, "
                    "which cannot await";
    }
    if (const auto *M = dyn_cast<MemberExpr>(CE.getCallee()->IgnoreImplicit()))
      if (M->isImplicitAccess() && isa<CXXConversionDecl>(Callee))
        C.Kind = CallKind::Implicit;
    if (X.InRangeForIteration)
      C.Kind = CallKind::Implicit;
    if (C.Kind == CallKind::Direct && !isa<CXXOperatorCallExpr>(CE) &&
        C.Twin.empty())
      recordTwinTag(CE, C);
    if (X.Rewritten && X.Rewritten->getDecomposedForm().InnerBinOp == &CE) {
      rewrittenComparison(*X.Rewritten, C);
      X.recordCall(X.Rewritten, std::move(C));
      return true;
    }
    X.recordCall(&CE, std::move(C));
    return true;
  }

  /// A comparison C++20 rewrites calls another operator: `a != b` is
  /// `!(a == b)`, `b == a` is `a == b`, `a < b` is `(a <=> b) < 0` and
  /// `b < a` is `0 < (a <=> b)`. The await goes around the call it means,
  /// written out: the operator token becomes the one called, swapped
  /// operands are written in the order of the call (only operands that
  /// make no call and are written outside macros can move), and what
  /// C++20 adds (the `!`, the comparison with 0) goes outside the await.
  void rewrittenComparison(const CXXRewrittenBinaryOperator &R, CallFact &C) {
    auto D = R.getDecomposedForm();
    const auto *Inner = dyn_cast<CXXOperatorCallExpr>(D.InnerBinOp);
    if (!Inner || C.Kind != CallKind::Operator)
      return;
    bool Spaceship = Inner->getOperator() == OO_Spaceship;
    StringRef Written = BinaryOperator::getOpcodeStr(D.Opcode);
    StringRef Called = Spaceship ? "<=>" : "==";
    auto Pinned = [&](std::string Why) {
      C.Kind = CallKind::Implicit;
      if (C.Problem.empty())
        C.Problem = std::move(Why);
    };
    if (!R.isReversed()) {
      SourceLocation Op = R.getOperatorLoc();
      C.AwaitEdits.push_back(
          {X.fileAnchor(SourceRange(Op, Op), C.Problem), Called.str()});
    } else {
      std::optional<std::string> Left = movableText(D.LHS),
                                 Right = movableText(D.RHS);
      if (!Left || !Right || (Spaceship && D.Opcode == BO_Cmp))
        return Pinned(fmt::format(
            "C++20 calls it here for `{}` with the operands swapped, which "
            "an await can only write out for operands that make no call; "
            "write them the other way round",
            Written));
      C.AwaitEdits.push_back({X.fileAnchor(R.getSourceRange(), C.Problem),
                              *Right + " " + Called.str() + " " + *Left});
    }
    if (!Spaceship) {
      if (D.Opcode == BO_NE)
        C.AwaitBefore = "!";
    } else if (!R.isReversed()) {
      C.AwaitBefore = "(";
      C.AwaitAfter = fmt::format(" {} 0)", Written);
    } else {
      C.AwaitBefore = fmt::format("(0 {} ", Written);
      C.AwaitAfter = ")";
    }
  }

  /// The text of \p E, when it can be written elsewhere as it is: one
  /// file range, and no call, construction or lambda whose edits it would
  /// have to carry.
  std::optional<std::string> movableText(const Expr *E) {
    std::function<bool(const Stmt *)> MakesCalls = [&](const Stmt *S) {
      if (!S)
        return false;
      if (isa<CallExpr, CXXConstructExpr, LambdaExpr, CXXNewExpr,
              CXXDeleteExpr, StmtExpr, CoroutineSuspendExpr>(S))
        return true;
      return llvm::any_of(S->children(), MakesCalls);
    };
    SourceRange Range = E->getSourceRange();
    if (MakesCalls(E) || !Range.getBegin().isFileID() ||
        !Range.getEnd().isFileID())
      return std::nullopt;
    return Lexer::getSourceText(CharSourceRange::getTokenRange(Range), X.SM,
                                X.LO)
        .str();
  }

  /// Where `vinyl::twin` goes when a synchronous twin calls the callee's
  /// twin: before the first argument written, or at the ')'.
  void recordTwinTag(const CallExpr &CE, CallFact &C) {
    C.TwinTagArgs =
        CE.getNumArgs() > 0 && !isa<CXXDefaultArgExpr>(CE.getArg(0));
    SourceLocation At =
        C.TwinTagArgs ? CE.getArg(0)->getBeginLoc() : CE.getRParenLoc();
    if (At.isInvalid() || !At.isFileID() || !X.isWritableLoc(At))
      return;
    C.TwinTag = X.anchor(CharSourceRange::getCharRange(At, At));
  }

  /// `s.read(b)` -> `repl(s, b)`: the object goes first (see CallFact).
  void memberLeaf(const CallExpr &CE, const MemberExpr &M, CallFact &C) {
    const Expr *Base = M.getBase();
    SourceLocation ObjectEnd;
    if (M.isImplicitAccess()) {
      C.LeafObject = X.fileAnchor(SourceRange(CE.getBeginLoc()), C.Problem);
      C.LeafObjectPrefix = "*this";
    } else {
      C.LeafObject = X.fileAnchor(SourceRange(Base->getBeginLoc()), C.Problem);
      C.LeafObjectPrefix = M.isArrow() ? "*" : "";
      ObjectEnd = Lexer::getLocForEndOfToken(Base->getEndLoc(), 0, X.SM,
                                             X.Ctx.getLangOpts());
    }
    C.LeafObject.Length = 0;
    C.LeafHasArgs =
        CE.getNumArgs() > 0 && !isa<CXXDefaultArgExpr>(CE.getArg(0));
    SourceLocation From = ObjectEnd.isValid() ? ObjectEnd : CE.getBeginLoc();
    SourceLocation To =
        C.LeafHasArgs ? CE.getArg(0)->getBeginLoc() : CE.getRParenLoc();
    CharSourceRange Member = Lexer::makeFileCharRange(
        CharSourceRange::getCharRange(From, To), X.SM, X.Ctx.getLangOpts());
    if (Member.isInvalid() || !X.isWritableLoc(Member.getBegin())) {
      C.Problem = "it is written inside a macro expansion";
      return;
    }
    C.LeafMember = X.anchor(Member);
  }

  void construct(const CXXConstructExpr &E) override {
    const CXXConstructorDecl *Ctor = E.getConstructor();
    if (!Ctor || !X.isOurs(Ctor))
      return;
    CallFact C;
    C.Callee = X.id(Ctor);
    C.Kind = CallKind::Implicit;
    X.recordCall(&E, std::move(C));
  }

  void annotate(const Expr &E, CallFact &C) override {
    C.NeedsParens = awaitNeedsParens(&E, X.Ctx);
    // g++ 12 rejects `(co_await f()).m` in a template ("insufficient
    // contextual information"); `std::move(co_await f()).m` is the same
    // for a value result (a prvalue and an xvalue bind alike), and
    // `(*&co_await f()).m` for a reference result (the same lvalue).
    const FunctionDecl *Fn = X.currentFunction();
    if (const auto *Call = dyn_cast<CallExpr>(&E);
        Call && C.NeedsParens && Fn && X.Cfg.Compiler.needsGccWorkarounds() &&
        (Fn->isTemplated() || X.inInstantiation()) && isMemberBase(&E))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        QualType Result = Callee->getReturnType();
        if (!Result->isDependentType()) {
          C.MoveAwait = !Result->isReferenceType();
          C.DerefAwait = Result->isReferenceType();
        }
      }
    C.InCondition = inCondition(&E, X.Ctx);
  }

private:
  /// For a function outside the paths that is a blocking facade over a
  /// coroutine, the coroutine's name: a function of the name scheme's name
  /// declared beside it, returning the task type, with the same parameter
  /// types (a converted library declares both in its header).
  std::string twinOf(const FunctionDecl &Facade) {
    if (!Facade.getIdentifier() || X.isTask(Facade.getReturnType()))
      return "";
    std::string Name = X.Cfg.asyncName(Facade.getName());
    return X.taskSibling(Facade, Name) ? Name : "";
  }

  bool isMemberBase(const Expr *E) {
    const Expr *Child;
    const Stmt *P = skipImplicitParents(E, X.Ctx, Child);
    return isa_and_nonnull<MemberExpr, CXXDependentScopeMemberExpr,
                           UnresolvedMemberExpr>(P);
  }
};

} // namespace

std::unique_ptr<Facet> makeCallsFacet(ExtractContext &X) {
  return std::make_unique<CallsFacet>(X);
}

} // namespace vinyl::extract
