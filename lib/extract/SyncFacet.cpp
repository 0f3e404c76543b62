//===- SyncFacet.cpp - std::mutex and std::condition_variable uses --------===//
//
// On the event loop a task that blocks on a std::mutex another task holds
// across an await, or waits on a std::condition_variable, blocks the
// thread and every task of its loop. The solver turns such objects into
// vinyl::mutex / vinyl::condition_variable (runtime/include/vinyl/sync.hpp),
// which suspend the task instead; this facet records what that takes:
//  - each object and the type its declaration writes;
//  - each use, with the edits for a caller that is a coroutine and for
//    one that stays synchronous:
//      std::lock_guard<std::mutex> g(m);  ->  auto g = co_await
//      vinyl::scoped_lock(m);
//                                         or  std::lock_guard<vinyl::mutex>
//                                         g(m);
//      m.lock();                          ->  co_await m.lock_async();
//      lk.lock();                         ->  co_await vinyl::lock_async(lk);
//      cv.wait(lk, pred);                 ->  co_await cv.wait(lk, pred);
//                                         or  vinyl::block_on(cv.wait(lk,
//                                         pred));
//  - any other use (the object's address passed on, std::lock of two, a
//    lock variable handed to a function), as the object's Problem: it
//    then keeps its std type and the solver warns;
//  - the locks in scope at each call (HeldLock, HeldMutexes), which the
//    solver reads to find a mutex held across an await.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

enum class SyncKind { None, Mutex, Condition };

SyncKind syncKind(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return SyncKind::None;
  if (RD->getName() == "mutex")
    return SyncKind::Mutex;
  if (RD->getName() == "condition_variable")
    return SyncKind::Condition;
  return SyncKind::None;
}

bool isLock(QualType T) {
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return false;
  return llvm::is_contained(
      {"lock_guard", "unique_lock", "scoped_lock", "shared_lock"},
      RD->getName());
}

/// The variable or field \p E names, under parentheses and conversions.
const ValueDecl *named(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *D = dyn_cast<DeclRefExpr>(E))
    return D->getDecl();
  if (const auto *M = dyn_cast<MemberExpr>(E))
    return isa<FieldDecl>(M->getMemberDecl()) ? M->getMemberDecl() : nullptr;
  return nullptr;
}

class SyncFacet : public Facet {
public:
  using Facet::Facet;

  void varDecl(const VarDecl &VD) override {
    if (X.inInstantiation())
      return;
    if (VD.isLocalVarDecl() && isLock(VD.getType()))
      guard(VD);
  }

  void memberCall(const CXXMemberCallExpr &CE) override {
    if (X.inInstantiation() || !X.currentFunction())
      return;
    const Expr *Obj = CE.getImplicitObjectArgument();
    const CXXMethodDecl *M = CE.getMethodDecl();
    if (!Obj || !M || !M->getIdentifier())
      return;
    const ValueDecl *D = named(Obj);
    if (!D)
      return;
    StringRef Name = M->getName();
    if (auto G = Guards.find(D); G != Guards.end()) {
      Allowed.insert(Obj->IgnoreParenImpCasts());
      if (Name == "lock" && !G->second.empty())
        relock(CE, G->second);
      return;
    }
    SyncKind K = syncKind(D->getType());
    if (K == SyncKind::None)
      return;
    Allowed.insert(Obj->IgnoreParenImpCasts());
    std::string Id = object(*D, K);
    if (K == SyncKind::Mutex) {
      if (Name == "lock")
        lockCall(CE, Id);
      else if (Name != "unlock" && Name != "try_lock")
        problem(Id, CE.getExprLoc(), "'" + Name.str() + "' is called on it");
      return;
    }
    if (Name.starts_with("wait"))
      wait(CE, Id);
    else if (!Name.starts_with("notify"))
      problem(Id, CE.getExprLoc(), "'" + Name.str() + "' is called on it");
  }

  void declRef(const DeclRefExpr &E) override { reference(E, E.getDecl()); }
  void memberExpr(const MemberExpr &E) override {
    reference(E, E.getMemberDecl());
  }

  /// A lock declared in a block is held until the block ends.
  void enterBlock() override { BlockStarts.push_back(Locks.size()); }
  void leaveBlock() override { Locks.resize(BlockStarts.pop_back_val()); }
  /// A lambda's body does not run where it is written.
  void enterFunction() override {
    Outer.emplace_back(std::move(Locks));
    Locks.clear();
  }
  void leaveFunction() override { Locks = Outer.pop_back_val(); }

  void annotate(const Expr &, CallFact &C) override {
    if (Locks.empty())
      return;
    const VarDecl *Lock = Locks.back();
    C.HeldLock =
        "'" + Lock->getNameAsString() + "' (" +
        Lock->getType()->getAsCXXRecordDecl()->getQualifiedNameAsString() +
        ", line " + std::to_string(X.lineOf(Lock)) + ")";
    for (const VarDecl *L : Locks)
      if (auto G = Guards.find(L); G != Guards.end() && !G->second.empty())
        C.HeldMutexes.push_back(G->second);
  }

private:
  /// The id of the object \p D, recorded on first sight.
  std::string object(const ValueDecl &D, SyncKind K) {
    const auto *Canon = cast<ValueDecl>(D.getCanonicalDecl());
    SmallString<128> USR;
    if (index::generateUSRForDecl(Canon, USR))
      USR = Canon->getQualifiedNameAsString();
    std::string Id = ("sync:" + USR).str();
    auto [It, New] = X.Out.SyncObjects.try_emplace(Id);
    if (!New)
      return Id;
    SyncObjectFact &O = It->second;
    O.Id = Id;
    O.Name = Canon->getQualifiedNameAsString();
    O.Loc = X.location(Canon->getLocation());
    O.IsCondition = K == SyncKind::Condition;
    const auto *DD = dyn_cast<DeclaratorDecl>(Canon);
    const TypeSourceInfo *TSI = DD ? DD->getTypeSourceInfo() : nullptr;
    std::string Why;
    if (!TSI || !isa<VarDecl, FieldDecl>(Canon) || isa<ParmVarDecl>(Canon))
      Why = "it is not a variable or a member";
    else if (TSI->getType()->getAs<TypedefType>() ||
             TSI->getType()->isReferenceType())
      Why = "its type is written through an alias or a reference";
    else if (!X.isWritableLoc(Canon->getLocation()))
      Why = "it is declared outside the paths";
    else
      O.Type = X.fileAnchor(TSI->getTypeLoc().getSourceRange(), Why);
    if (!Why.empty()) {
      O.Problem = Why;
      O.ProblemLoc = O.Loc;
    }
    return Id;
  }

  void problem(const std::string &Id, SourceLocation Loc, std::string Why) {
    SyncObjectFact &O = X.Out.SyncObjects[Id];
    if (!O.Problem.empty())
      return;
    O.Problem = std::move(Why);
    O.ProblemLoc = X.location(Loc);
  }

  /// A reference to an object or a lock variable that no use above took.
  void reference(const Expr &E, const ValueDecl *D) {
    if (X.inInstantiation() || !D || Allowed.contains(&E))
      return;
    if (auto G = Guards.find(D); G != Guards.end()) {
      if (!G->second.empty())
        problem(G->second, E.getExprLoc(),
                "the lock '" + D->getNameAsString() + "' is passed on here");
      return;
    }
    SyncKind K = syncKind(D->getType());
    if (K == SyncKind::None || isa<FunctionDecl>(D))
      return;
    problem(object(*D, K), E.getExprLoc(),
            "it is used here in a way the rewrite does not follow");
  }

  /// `std::lock_guard<std::mutex> g(m);` and the other lock types.
  void guard(const VarDecl &VD) {
    Locks.push_back(&VD);
    std::string &Mutex = Guards[&VD];
    const Expr *Init = VD.getInit();
    const auto *CE =
        Init ? dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()) : nullptr;
    if (!CE || CE->getNumArgs() == 0)
      return;
    const ValueDecl *D = named(CE->getArg(0));
    if (!D || syncKind(D->getType()) != SyncKind::Mutex)
      return;
    Allowed.insert(CE->getArg(0)->IgnoreParenImpCasts());
    Mutex = object(*D, SyncKind::Mutex);
    const bool Scoped =
        VD.getType()->getAsCXXRecordDecl()->getName() == "scoped_lock";
    if (Scoped && CE->getNumArgs() > 1)
      return problem(Mutex, VD.getLocation(),
                     "std::scoped_lock locks it together with another mutex");
    SyncUseFact U = use(Mutex, VD.getLocation());
    // Synchronous code keeps its lock; a written `std::mutex` argument of
    // the lock's type names the new type.
    std::string Why;
    TypeLoc TL = VD.getTypeSourceInfo()->getTypeLoc().getUnqualifiedLoc();
    if (auto T = TL.getAs<TemplateSpecializationTypeLoc>();
        T && T.getNumArgs() == 1) {
      const TypeSourceInfo *Arg = T.getArgLoc(0).getTypeSourceInfo();
      if (!Arg || Arg->getType()->getAs<TypedefType>())
        return problem(Mutex, VD.getLocation(),
                       "the lock's type names it through an alias");
      Anchor A = X.fileAnchor(Arg->getTypeLoc().getSourceRange(), Why);
      if (!Why.empty())
        return problem(Mutex, VD.getLocation(), Why);
      U.Sync.push_back({A, "vinyl::mutex"});
    } else if (!TL.getAs<DeducedTemplateSpecializationTypeLoc>()) {
      return problem(Mutex, VD.getLocation(),
                     "the lock's type is written in a way the rewrite does "
                     "not follow");
    }
    // A coroutine takes the mutex with an await; a lock made with a tag
    // (std::defer_lock, adopt_lock, try_to_lock) does not wait.
    if (CE->getNumArgs() > 1 || isa<ParmVarDecl>(VD)) {
      U.Async = U.Sync;
    } else {
      const auto *DS = X.Ctx.getParents(VD).empty()
                           ? nullptr
                           : X.Ctx.getParents(VD)[0].get<DeclStmt>();
      Anchor Whole = X.fileAnchor(
          SourceRange(VD.getBeginLoc(), VD.getSourceRange().getEnd()), Why);
      if (!DS || !DS->isSingleDecl() || !Why.empty())
        return problem(Mutex, VD.getLocation(),
                       "its lock is declared beside other variables or by a "
                       "macro");
      U.Async.push_back({Whole, "auto " + VD.getNameAsString() +
                                    " = co_await vinyl::scoped_lock(" +
                                    source(CE->getArg(0)) + ")"});
      U.AsyncAwaits = true;
    }
    X.Out.SyncUses.push_back(std::move(U));
  }

  /// `m.lock()` in a coroutine: `co_await m.lock_async()`.
  void lockCall(const CXXMemberCallExpr &CE, const std::string &Mutex) {
    std::string Why;
    const auto *ME = dyn_cast<MemberExpr>(CE.getCallee()->IgnoreParens());
    Anchor Start = X.fileAnchor(CE.getBeginLoc(), Why);
    Anchor Name = ME ? X.fileAnchor(ME->getMemberLoc(), Why) : Anchor();
    if (!ME || !Why.empty())
      return problem(Mutex, CE.getExprLoc(), "it is locked by a macro");
    Start.Length = 0;
    SyncUseFact U = use(Mutex, CE.getExprLoc());
    U.Async = {{Start, "co_await "}, {Name, "lock_async"}};
    U.AsyncAwaits = true;
    X.Out.SyncUses.push_back(std::move(U));
  }

  /// `lk.lock()` of a lock of a mutex, in a coroutine: `co_await
  /// vinyl::lock_async(lk)`.
  void relock(const CXXMemberCallExpr &CE, const std::string &Mutex) {
    std::string Why;
    const Expr *Obj = CE.getImplicitObjectArgument();
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(CE.getSourceRange()), X.SM, X.LO);
    CharSourceRange O = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Obj->getSourceRange()), X.SM, X.LO);
    if (R.isInvalid() || O.isInvalid() || !X.isWritableLoc(R.getBegin()))
      return problem(Mutex, CE.getExprLoc(), "it is locked by a macro");
    SyncUseFact U = use(Mutex, CE.getExprLoc());
    U.Async = {
        {X.anchor(CharSourceRange::getCharRange(R.getBegin(), R.getBegin())),
         "co_await vinyl::lock_async("},
        {X.anchor(CharSourceRange::getCharRange(O.getEnd(), R.getEnd())), ")"}};
    U.AsyncAwaits = true;
    X.Out.SyncUses.push_back(std::move(U));
  }

  /// `cv.wait(lk, ...)`, wait_for, wait_until: awaited in a coroutine,
  /// waited for in place elsewhere.
  void wait(const CXXMemberCallExpr &CE, const std::string &Cv) {
    SyncUseFact U = use(Cv, CE.getExprLoc());
    U.IsWait = true;
    if (CE.getNumArgs() > 0)
      if (const ValueDecl *L = named(CE.getArg(0))) {
        if (auto G = Guards.find(L); G != Guards.end()) {
          U.Mutex = G->second;
          Allowed.insert(CE.getArg(0)->IgnoreParenImpCasts());
        }
      }
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(CE.getSourceRange()), X.SM, X.LO);
    if (R.isInvalid() || !X.isWritableLoc(R.getBegin()))
      return problem(Cv, CE.getExprLoc(), "it is waited on by a macro");
    Anchor Begin =
        X.anchor(CharSourceRange::getCharRange(R.getBegin(), R.getBegin()));
    Anchor End =
        X.anchor(CharSourceRange::getCharRange(R.getEnd(), R.getEnd()));
    // `cv.wait_for(lk, d) == std::cv_status::timeout` reads the result of
    // the await: co_await binds tighter than any binary operator; a member
    // of it needs parentheses.
    bool Postfix = false;
    if (DynTypedNodeList P = X.Ctx.getParents(CE); !P.empty())
      Postfix = P[0].get<MemberExpr>() != nullptr;
    U.Async = {{Begin, Postfix ? "(co_await " : "co_await "}};
    if (Postfix)
      U.Async.push_back({End, ")"});
    U.AsyncAwaits = true;
    U.Sync = {{Begin, "vinyl::block_on("}, {End, ")"}};
    X.Out.SyncUses.push_back(std::move(U));
  }

  SyncUseFact use(const std::string &Object, SourceLocation Loc) {
    SyncUseFact U;
    U.Object = Object;
    U.Caller = X.id(X.currentFunction());
    U.Loc = X.location(Loc);
    return U;
  }

  std::string source(const Expr *E) {
    return Lexer::getSourceText(
               CharSourceRange::getTokenRange(E->getSourceRange()), X.SM, X.LO)
        .str();
  }

  /// Lock variables and the mutex each holds ("" when it holds none the
  /// walk knows), those in scope now, where each open block began, and
  /// those of the enclosing functions.
  DenseMap<const ValueDecl *, std::string> Guards;
  std::vector<const VarDecl *> Locks;
  SmallVector<size_t, 16> BlockStarts;
  SmallVector<std::vector<const VarDecl *>, 4> Outer;
  /// References the uses above took: the others are Problems.
  DenseSet<const Expr *> Allowed;
};

} // namespace

std::unique_ptr<Facet> makeSyncFacet(ExtractContext &X) {
  return std::make_unique<SyncFacet>(X);
}

} // namespace vinyl::extract
