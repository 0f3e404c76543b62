//===- SyncFacet.cpp - std mutexes and condition variables and their uses -===//
//
// On the event loop a task that blocks on a std::mutex another task holds
// across an await, or waits on a std::condition_variable, blocks the
// thread and every task of its loop. The solver turns such objects into
// vinyl::mutex / vinyl::condition_variable (runtime/include/vinyl/sync.hpp),
// which suspend the task instead. std::timed_mutex, std::shared_mutex and
// std::shared_timed_mutex become a vinyl::mutex too (it has their timed and
// shared operations), std::condition_variable_any a vinyl::condition_variable
// (its waits take a unique_lock or shared_lock of one). This facet records
// what that takes:
//  - each object, its std type and the type its declaration writes;
//  - each use, with the edits for a caller that is a coroutine and for
//    one that stays synchronous:
//      std::lock_guard<std::mutex> g(m);  ->  auto g = co_await
//      vinyl::scoped_lock(m);
//                                         or  std::lock_guard<vinyl::mutex>
//                                         g(m);
//      std::shared_lock<..> l(m);         ->  auto l = co_await
//                                             vinyl::scoped_lock_shared(m);
//      std::unique_lock<..> l(m, 10ms);   ->  auto l = co_await
//                                             vinyl::scoped_lock(m, 10ms);
//      m.lock();                          ->  co_await m.lock_async();
//      m.try_lock_for(d);                 ->  co_await m.try_lock_for_async(d);
//      lk.lock();                         ->  co_await vinyl::lock_async(lk);
//      lk.try_lock_for(d);                ->  co_await vinyl::try_lock_for(lk,
//                                             d);
//      cv.wait(lk, pred);                 ->  co_await cv.wait(lk, pred);
//                                         or  vinyl::block_on(cv.wait(lk,
//                                         pred));
//    (also a std::condition_variable_any's waits with a std::stop_token,
//    which vinyl::condition_variable takes as well);
//  - any other use (the object's address passed on, std::lock of two, a
//    lock variable handed to a function), and
//    a recursive mutex, which has no vinyl equivalent, as the object's
//    Problem: it then keeps its std type and the solver warns;
//  - the locks in scope at each call (HeldLock, HeldMutexes), which the
//    solver reads to find a mutex held across an await: lock variables
//    until their block ends, and a mutex locked by a call of its own
//    (`m.lock()`, `m.try_lock()`, ...) from that call until an unlock
//    written as a statement of the same block, or else the end of the block
//    (an unlock inside a nested statement may not run: the mutex counts as
//    held after it, which at worst converts a mutex that did not need it).
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

/// Mutex: a std mutex that becomes a vinyl::mutex; Recursive: one that
/// cannot; Condition: a condition variable.
enum class SyncKind { None, Mutex, Recursive, Condition };

const CXXRecordDecl *stdRecord(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return nullptr;
  return RD;
}

SyncKind syncKind(QualType T) {
  const CXXRecordDecl *RD = stdRecord(T);
  if (!RD)
    return SyncKind::None;
  return llvm::StringSwitch<SyncKind>(RD->getName())
      .Cases({"mutex", "timed_mutex", "shared_mutex", "shared_timed_mutex"},
             SyncKind::Mutex)
      .Cases({"recursive_mutex", "recursive_timed_mutex"}, SyncKind::Recursive)
      .Cases({"condition_variable", "condition_variable_any"},
             SyncKind::Condition)
      .Default(SyncKind::None);
}

bool isMutex(SyncKind K) {
  return K == SyncKind::Mutex || K == SyncKind::Recursive;
}

/// Why a recursive mutex (of std type \p Type) stays std, as the note
/// under the lock warning says it.
std::string recursiveProblem(StringRef Type) {
  return ("a " + Type +
          " may be locked again by the thread that holds it, and on the "
          "event loop no owner finer than the thread can be told apart; if "
          "it is never locked twice, make it a std::mutex")
      .str();
}

/// What the tag or timeout after a lock's mutex makes of it.
enum class LockArg { None, Tag, Timeout };

LockArg lockArg(const CXXConstructExpr &CE) {
  if (CE.getNumArgs() < 2)
    return LockArg::None;
  const CXXRecordDecl *RD = stdRecord(CE.getArg(1)->getType());
  if (RD && RD->getName().ends_with("_lock_t"))
    return LockArg::Tag;
  return LockArg::Timeout;
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
      if (!G->second.empty())
        lockMemberCall(CE, G->second, Name);
      return;
    }
    // `p->lock()`: a mutex reached through a pointer is held like any
    // other, but stays std.
    QualType T = D->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    SyncKind K = syncKind(T);
    if (K == SyncKind::None)
      return;
    Allowed.insert(Obj->IgnoreParenImpCasts());
    std::string Id = object(*D, K);
    if (isMutex(K))
      return mutexCall(CE, *D, Id, K, Name);
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
    C.HeldLock = Locks.back().Label;
    for (const Held &H : Locks) {
      std::string Mutex = H.Plain ? H.Mutex : Guards.lookup(H.Var);
      if (!Mutex.empty() && !llvm::is_contained(C.HeldMutexes, Mutex))
        C.HeldMutexes.push_back(std::move(Mutex));
    }
  }

private:
  /// A lock in scope, or a mutex a call of its own locked.
  struct Held {
    const ValueDecl *Var; ///< The lock variable, or the mutex.
    std::string Mutex;    ///< The mutex a call locked; a variable's: Guards.
    std::string Label;    ///< For messages: "'g' (std::lock_guard, line 4)".
    bool Plain;           ///< Locked by a call, released by one.
    size_t Depth;         ///< How many blocks were open when it was taken.
  };

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
    QualType T = Canon->getType().getNonReferenceType();
    const bool Pointer = T->isPointerType();
    if (const CXXRecordDecl *RD = stdRecord(Pointer ? T->getPointeeType() : T))
      O.StdType = ("std::" + RD->getName()).str();
    const auto *DD = dyn_cast<DeclaratorDecl>(Canon);
    const TypeSourceInfo *TSI = DD ? DD->getTypeSourceInfo() : nullptr;
    std::string Why;
    if (K == SyncKind::Recursive)
      Why = recursiveProblem(O.StdType);
    else if (Pointer)
      Why = "it is reached through a pointer";
    else if (!TSI || !isa<VarDecl, FieldDecl>(Canon) || isa<ParmVarDecl>(Canon))
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
    Locks.push_back(
        {&VD, "",
         "'" + VD.getNameAsString() + "' (" +
             VD.getType()->getAsCXXRecordDecl()->getQualifiedNameAsString() +
             ", line " + std::to_string(X.lineOf(&VD)) + ")",
         false, BlockStarts.size()});
    std::string &Mutex = Guards[&VD];
    const Expr *Init = VD.getInit();
    const auto *CE =
        Init ? dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()) : nullptr;
    if (!CE || CE->getNumArgs() == 0)
      return;
    const ValueDecl *D = named(CE->getArg(0));
    const SyncKind K = D ? syncKind(D->getType()) : SyncKind::None;
    if (!isMutex(K))
      return;
    Allowed.insert(CE->getArg(0)->IgnoreParenImpCasts());
    Mutex = object(*D, K);
    if (K == SyncKind::Recursive)
      return; // It stays std: its Problem says why.
    const StringRef LockType = VD.getType()->getAsCXXRecordDecl()->getName();
    if (LockType == "scoped_lock" && CE->getNumArgs() > 1)
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
    // (std::defer_lock, adopt_lock, try_to_lock) does not wait, one made
    // with a timeout (`std::unique_lock<std::timed_mutex> l(m, 10ms)`)
    // waits that long.
    const LockArg Arg = lockArg(*CE);
    if (Arg == LockArg::Tag || isa<ParmVarDecl>(VD)) {
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
      std::string Call =
          (LockType == "shared_lock" ? "vinyl::scoped_lock_shared("
                                     : "vinyl::scoped_lock(") +
          source(CE->getArg(0));
      if (Arg == LockArg::Timeout) {
        (void)X.fileAnchor(CE->getArg(1)->getSourceRange(), Why);
        if (!Why.empty())
          return problem(Mutex, VD.getLocation(),
                         "its lock's timeout is written by a macro");
        Call += ", " + source(CE->getArg(1));
      }
      U.Async.push_back({Whole, "auto " + VD.getNameAsString() +
                                    " = co_await " + Call + ")"});
      U.AsyncAwaits = true;
    }
    X.Out.SyncUses.push_back(std::move(U));
  }

  /// A call on a mutex: one that locks it holds it from there, and one that
  /// waits becomes an await in a coroutine; unlock ends the hold.
  void mutexCall(const CXXMemberCallExpr &CE, const ValueDecl &D,
                 const std::string &Id, SyncKind K, StringRef Name) {
    if (Name == "unlock" || Name == "unlock_shared")
      return release(CE, D);
    static constexpr llvm::StringLiteral Takes[] = {"lock",
                                                    "try_lock",
                                                    "lock_shared",
                                                    "try_lock_shared",
                                                    "try_lock_for",
                                                    "try_lock_until",
                                                    "try_lock_shared_for",
                                                    "try_lock_shared_until"};
    if (!llvm::is_contained(Takes, Name))
      return problem(Id, CE.getExprLoc(),
                     "'" + Name.str() + "' is called on it");
    Locks.push_back({cast<ValueDecl>(D.getCanonicalDecl()), Id,
                     "on '" + D.getNameAsString() + "' (" + Name.str() +
                         "(), line " + std::to_string(X.lineOf(&CE)) + ")",
                     true, BlockStarts.size()});
    if (K == SyncKind::Mutex && Name != "try_lock" && Name != "try_lock_shared")
      lockCall(CE, Id, Name.str() + "_async");
  }

  /// `m.unlock()` written as a statement of the block where a call locked
  /// m ends that hold; one inside a nested statement may not run.
  void release(const CXXMemberCallExpr &CE, const ValueDecl &D) {
    DynTypedNodeList P = X.Ctx.getParents(CE);
    if (P.empty() || !P[0].get<CompoundStmt>())
      return;
    for (size_t I = Locks.size(); I-- > 0;)
      if (Locks[I].Plain &&
          Locks[I].Var == cast<ValueDecl>(D.getCanonicalDecl()) &&
          Locks[I].Depth == BlockStarts.size()) {
        Locks.erase(Locks.begin() + I);
        return;
      }
  }

  /// `m.lock()` in a coroutine: `co_await m.lock_async()`, and the other
  /// calls that wait (`lock_shared`, `try_lock_for`, ...): their `_async`
  /// form, awaited.
  void lockCall(const CXXMemberCallExpr &CE, const std::string &Mutex,
                std::string Async) {
    std::string Why;
    const auto *ME = dyn_cast<MemberExpr>(CE.getCallee()->IgnoreParens());
    Anchor Start = X.fileAnchor(CE.getBeginLoc(), Why);
    Anchor Name = ME ? X.fileAnchor(ME->getMemberLoc(), Why) : Anchor();
    if (!ME || !Why.empty())
      return problem(Mutex, CE.getExprLoc(), "it is locked by a macro");
    Start.Length = 0;
    SyncUseFact U = use(Mutex, CE.getExprLoc());
    U.Async = {{Start, "co_await "}, {Name, std::move(Async)}};
    U.AsyncAwaits = true;
    X.Out.SyncUses.push_back(std::move(U));
  }

  /// A call on a lock variable of a mutex, in a coroutine: `lk.lock()` is
  /// `co_await vinyl::lock_async(lk)`, `lk.try_lock_for(d)` is `co_await
  /// vinyl::try_lock_for(lk, d)` (and try_lock_until).
  void lockMemberCall(const CXXMemberCallExpr &CE, const std::string &Mutex,
                      StringRef Name) {
    const bool Timed = Name == "try_lock_for" || Name == "try_lock_until";
    if (Name != "lock" && !(Timed && CE.getNumArgs() == 1))
      return;
    const Expr *Obj = CE.getImplicitObjectArgument();
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(CE.getSourceRange()), X.SM, X.LO);
    CharSourceRange O = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Obj->getSourceRange()), X.SM, X.LO);
    CharSourceRange A =
        Timed ? Lexer::makeFileCharRange(CharSourceRange::getTokenRange(
                                             CE.getArg(0)->getSourceRange()),
                                         X.SM, X.LO)
              : R;
    if (R.isInvalid() || O.isInvalid() || A.isInvalid() ||
        !X.isWritableLoc(R.getBegin()))
      return problem(Mutex, CE.getExprLoc(), "it is locked by a macro");
    SyncUseFact U = use(Mutex, CE.getExprLoc());
    Anchor Begin =
        X.anchor(CharSourceRange::getCharRange(R.getBegin(), R.getBegin()));
    if (Timed)
      U.Async = {
          {Begin, ("co_await vinyl::" + Name + "(").str()},
          {X.anchor(CharSourceRange::getCharRange(O.getEnd(), A.getBegin())),
           ", "}};
    else
      U.Async = {
          {Begin, "co_await vinyl::lock_async("},
          {X.anchor(CharSourceRange::getCharRange(O.getEnd(), R.getEnd())),
           ")"}};
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
  /// walk knows); the locks held now (in scope, or taken by a call), where
  /// each open block began, and those of the enclosing functions.
  DenseMap<const ValueDecl *, std::string> Guards;
  std::vector<Held> Locks;
  SmallVector<size_t, 16> BlockStarts;
  SmallVector<std::vector<Held>, 4> Outer;
  /// References the uses above took: the others are Problems.
  DenseSet<const Expr *> Allowed;
};

} // namespace

std::unique_ptr<Facet> makeSyncFacet(ExtractContext &X) {
  return std::make_unique<SyncFacet>(X);
}

} // namespace vinyl::extract
