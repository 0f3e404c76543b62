//===- ThreadsFacet.cpp - Threads that may become spawned tasks -----------===//
//
// Threads started per the spawn rules whose callable is a function or
// lambda of the paths: if it reaches I/O, the thread becomes a task on the
// event loop. Three shapes, each with the edits that convert it and the
// uses that must stay valid on the handle the spawn returns:
//  - a temporary detached at once: `std::thread(f, a).detach()` becomes
//    `vinyl::spawn(f', a)`;
//  - a local that is joined: `std::thread t(f, a)` becomes `auto t =
//    vinyl::spawn(f', a)` and `t.join()` is awaited;
//  - a local container of threads: its element type becomes the handle
//    type, the places threads are added become spawns, and its elements'
//    joins are awaited. Its threads become tasks together or not at all.
// Calls of the spawn itself (already converted code) mark the callable as
// run by a task, not as an escaping address.
//
//===----------------------------------------------------------------------===//
#include "ThreadSpawns.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class ThreadsFacet : public Facet {
public:
  explicit ThreadsFacet(ExtractContext &X) : Facet(X), Spawns(X) {}

  /// Code converted already: the spawned function or lambda is the task's.
  bool call(const CallExpr &CE) override {
    // Before the facets that see what the call hands on (CallablesFacet):
    // a function object added to a container of threads is a spawn's.
    if (const auto *Add = dyn_cast<CXXMemberCallExpr>(&CE);
        Add && !X.inInstantiation() && !X.Cfg.Spawns.empty() &&
        Add->getMethodDecl() && Add->getMethodDecl()->getIdentifier()) {
      const Expr *Ref = nullptr;
      if (ThreadContainer *T =
              containerAt(Add->getImplicitObjectArgument(), Ref))
        containerCall(Add, Ref, *T);
      return false;
    }
    const FunctionDecl *Callee = CE.getDirectCallee();
    if (!Callee || !isSpawnReplacement(Callee->getQualifiedNameAsString()) ||
        CE.getNumArgs() == 0)
      return false;
    const Expr *Callable = withoutAddressOf(CE.getArg(0)->IgnoreImplicit());
    if (const auto *L = dyn_cast<LambdaExpr>(Callable))
      X.SpawnedCallables.insert(L);
    else if (const auto *Ref = dyn_cast<DeclRefExpr>(Callable))
      X.CalleeRefs.insert(Ref);
    return true;
  }

  void varDecl(const VarDecl &VD) override {
    recordThreadVar(&VD);
    if (VD.isLocalVarDecl() && !VD.isStaticLocal() && X.currentFunction())
      recordThreadContainer(&VD, VD.getInit(), VD.getNameAsString());
  }

  /// A container of threads as a data member of a class that is not a
  /// template: its threads are added and joined by the object
  /// (`this->workers_`), maybe in several units.
  void fieldDecl(const FieldDecl &FD) override { memberContainer(&FD); }

  /// `std::thread(f, args...).detach()` (per the spawn rules): a thread
  /// that may become a spawned task, if f reaches I/O. On a local thread
  /// (see recordThreadVar), the rule's join, or a member the handle has
  /// too. On a container of threads and its elements, see containerCall.
  void memberCall(const CXXMemberCallExpr &CE) override {
    const CXXMethodDecl *M = CE.getMethodDecl();
    if (!M || !M->getIdentifier() || X.Cfg.Spawns.empty())
      return;
    const Expr *Object = CE.getImplicitObjectArgument()->IgnoreImplicit();
    if (const Expr *Ref; containerAt(Object, Ref))
      return; // See call().
    const SpawnRule *Rule =
        X.Cfg.findSpawn(M->getParent()->getQualifiedNameAsString());
    if (!Rule)
      return;
    if (const Expr *Ref; ThreadContainer *T = elementOf(Object, Ref))
      return elementCall(&CE, Ref, *T);
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Object)) {
      auto It = ThreadVars.find(Ref->getDecl());
      if (It == ThreadVars.end())
        return;
      if (M->getName() == Rule->Join) {
        ThreadRefs.insert(Ref);
        CallFact C;
        C.Kind = CallKind::Join;
        C.Callee = X.Out.Calls[It->second.Spawn].Callee;
        X.recordCall(&CE, std::move(C));
      } else if (llvm::is_contained(Rule->HandleMembers, M->getName())) {
        ThreadRefs.insert(Ref);
      }
      return;
    }
    if (M->getName() != Rule->Detach)
      return;
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (!threadTemporary(Object, Construct, Type))
      return;
    CallFact C;
    if (!Spawns.spawnedCallable(Construct, *Rule, C))
      return;
    Spawns.spawnEdit(C, Type.getSourceRange(), Rule->Replacement);
    CharSourceRange Tail = Lexer::makeFileCharRange(
        CharSourceRange::getCharRange(
            Lexer::getLocForEndOfToken(Object->getEndLoc(), 0, X.SM, X.LO),
            Lexer::getLocForEndOfToken(CE.getEndLoc(), 0, X.SM, X.LO)),
        X.SM, X.LO);
    if (Tail.isInvalid() || !X.isWritableLoc(Tail.getBegin()))
      C.Problem = "it is written inside a macro expansion";
    else
      C.SpawnEdits.push_back({X.anchor(Tail), ""});
    size_t I = X.recordCall(&CE, std::move(C));
    // Point at the thread, not at ".detach".
    X.Out.Calls[I].Loc = X.location(CE.getBeginLoc());
  }

  /// `ts[i] = std::thread(f, a)`: adds a thread to a container of them.
  void operatorCall(const CXXOperatorCallExpr &E) override {
    if (Containers.empty() || E.getOperator() != OO_Equal ||
        E.getNumArgs() != 2)
      return;
    const Expr *Ref = nullptr;
    ThreadContainer *T = elementOf(E.getArg(0)->IgnoreImplicit(), Ref);
    if (!T)
      return;
    CallFact C;
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (!threadTemporary(E.getArg(1)->IgnoreImplicit(), Construct, Type) ||
        !Spawns.spawnedCallable(Construct, *T->Rule, C))
      return; // Left unmarked: refused as another use.
    ThreadRefs.insert(Ref);
    Spawns.spawnEdit(C, Type.getSourceRange(), T->Rule->Replacement);
    addContainerSpawn(&E, std::move(C), *T);
  }

  /// `for (auto &t : ts)` over a container of threads: t is an element,
  /// and a type written for it becomes the handle type.
  void forRange(const CXXForRangeStmt &S) override {
    if (Containers.empty())
      return;
    const Expr *Ref = nullptr;
    ThreadContainer *T = containerAt(S.getRangeInit(), Ref);
    if (!T)
      return;
    ThreadRefs.insert(Ref);
    const VarDecl *Loop = S.getLoopVariable();
    ElementVars[Loop] = T->Decl;
    TypeLoc Type = Loop->getTypeSourceInfo()->getTypeLoc();
    if (auto R = Type.getAs<ReferenceTypeLoc>())
      Type = R.getPointeeLoc();
    Type = Type.getUnqualifiedLoc();
    if (!Type.getContainedAutoTypeLoc())
      elementTypeEdit(*T, Type);
  }

  /// A thread, a container or an element named other than by a use the
  /// rewrite keeps valid.
  void declRef(const DeclRefExpr &E) override {
    const auto *VD = dyn_cast<VarDecl>(E.getDecl());
    if (!VD || ThreadRefs.contains(&E))
      return;
    if (auto It = ThreadVars.find(VD); It != ThreadVars.end())
      otherThreadUse(&E, It->second);
    if (ThreadContainer *T = containerOrElementVar(VD))
      otherContainerUse(&E, VD, *T);
  }

  /// A member container named other than by a use the rewrite keeps
  /// valid (on another object, passed on).
  void memberExpr(const MemberExpr &E) override {
    if (ThreadRefs.contains(&E))
      return;
    if (ThreadContainer *T =
            memberContainer(dyn_cast<FieldDecl>(E.getMemberDecl())))
      otherContainerUse(&E, E.getMemberDecl(), *T);
  }

  /// Threads in one container become tasks together: each spawn site gets
  /// the container's type edits and problem, each join the function the
  /// first thread runs (the solver refuses a container whose threads
  /// disagree). Joins of a local container no thread is added to are
  /// dropped; those of a member learn what its threads run from the units
  /// that add them (linkThreadJoins), and carry its type edits, for the
  /// range-for loops of a unit that adds none. A member container with a
  /// problem keeps its threads: their spawns become the hand-overs they
  /// were, with the problem as the reason.
  void finish() override {
    std::vector<size_t> Drop;
    for (auto &[VD, T] : Containers) {
      if (T.Member && !T.Problem.empty()) {
        for (size_t I : T.Spawns)
          ThreadSpawns::keepThread(X.Out.Calls[I],
                                   StringRef(T.Group).rsplit(' ').second,
                                   "a container of threads", T.Problem);
        llvm::append_range(Drop, T.Joins);
        continue;
      }
      std::string Runs =
          T.Spawns.empty() ? "" : X.Out.Calls[T.Spawns.front()].Callee;
      for (size_t I : T.Spawns) {
        CallFact &C = X.Out.Calls[I];
        if (C.Problem.empty())
          C.Problem = T.Problem;
        llvm::append_range(C.SpawnEdits, T.Edits);
      }
      for (size_t I : T.Joins) {
        X.Out.Calls[I].Callee = Runs;
        if (T.Member)
          llvm::append_range(X.Out.Calls[I].SpawnEdits, T.Edits);
        else if (Runs.empty())
          Drop.push_back(I);
      }
    }
    llvm::sort(Drop);
    for (size_t I : llvm::reverse(Drop))
      X.Out.Calls.erase(X.Out.Calls.begin() + I);
  }

private:
  /// A local thread that may become a spawned task: the index of its Spawn
  /// call, and its rule.
  struct ThreadVar {
    size_t Spawn;
    const SpawnRule *Rule;
  };

  /// A container of threads (see recordThreadContainer).
  struct ThreadContainer {
    const ValueDecl *Decl = nullptr;
    bool Member = false; ///< A data member, not a local.
    const SpawnRule *Rule = nullptr;
    std::string Group; ///< "file:line:col name" of its declaration.
    /// The element type, where its declaration and loops name it.
    std::vector<TextEdit> Edits;
    /// Indices into Out.Calls of the threads added and the joins.
    std::vector<size_t> Spawns, Joins;
    std::string Problem;
  };

  bool isSpawnReplacement(StringRef Name) const {
    return llvm::any_of(X.Cfg.Spawns, [&](const SpawnRule &R) {
      return StringRef(R.Replacement).ltrim(':') == Name;
    });
  }

  /// A local thread per a spawn rule with a join member: `std::thread
  /// t(f, a)`, `std::thread t{f, a}`, `auto t = std::thread(f, a)`. If f
  /// reaches I/O it becomes `auto t = vinyl::spawn(f, a)` and its joins
  /// are awaited, so every other use of t must be one the handle has too.
  void recordThreadVar(const VarDecl *VD) {
    if (X.Cfg.Spawns.empty() || !VD->isLocalVarDecl() || VD->isStaticLocal() ||
        !VD->hasInit() || !X.currentFunction())
      return;
    const SpawnRule *Rule = Spawns.threadRule(VD->getType());
    if (!Rule || Rule->Join.empty())
      return;
    const Expr *Init = VD->getInit()->IgnoreImplicit();
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Temporary;
    if (VD->getInitStyle() == VarDecl::CInit) {
      if (!threadTemporary(Init, Construct, Temporary))
        return;
    } else {
      Construct = dyn_cast<CXXConstructExpr>(Init);
    }
    CallFact C;
    if (!Spawns.spawnedCallable(Construct, *Rule, C))
      return;
    TypeLoc Declared = VD->getTypeSourceInfo()->getTypeLoc();
    if (!Declared.getContainedAutoTypeLoc())
      Spawns.spawnEdit(C, Declared.getSourceRange(), "auto");
    if (Temporary) {
      Spawns.spawnEdit(C, Temporary.getSourceRange(), Rule->Replacement);
    } else if (VD->getLocation().isMacroID()) {
      C.Problem = "it is written inside a macro expansion";
    } else {
      SourceLocation AfterName =
          Lexer::getLocForEndOfToken(VD->getLocation(), 0, X.SM, X.LO);
      C.SpawnEdits.push_back(
          {X.anchor(CharSourceRange::getCharRange(AfterName, AfterName)),
           " = " + Rule->Replacement});
    }
    size_t I = X.recordCall(Init, std::move(C));
    X.Out.Calls[I].Loc = X.location(VD->getLocation());
    ThreadVars[VD] = {I, Rule};
  }

  /// A container of threads per a spawn rule with a handle type
  /// (`std::vector<std::thread> ts;`, a deque, a list, an array), a local
  /// or a data member named \p Name. Every use other than those
  /// containerCall, elementCall and forRange accept must mean the same on
  /// handles, or a local container is refused (a member one keeps its
  /// threads).
  void recordThreadContainer(const DeclaratorDecl *VD, const Expr *Init,
                             std::string Name) {
    if (X.Cfg.Spawns.empty() || !X.isWritableLoc(VD->getLocation()) ||
        Containers.count(VD))
      return;
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        VD->getType()->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 ||
        Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return;
    const SpawnRule *Rule =
        Spawns.threadRule(Spec->getTemplateArgs()[0].getAsType());
    if (!Rule || Rule->HandleType.empty())
      return;
    ThreadContainer &T = Containers[VD];
    T.Decl = VD;
    T.Member = isa<FieldDecl>(VD);
    T.Rule = Rule;
    T.Group = Spawns.group(VD->getLocation(), Name);
    auto Written = VD->getTypeSourceInfo()
                       ->getTypeLoc()
                       .getAsAdjusted<TemplateSpecializationTypeLoc>();
    if (!Written || Written.getNumArgs() == 0 ||
        !Written.getArgLoc(0).getTypeSourceInfo())
      containerProblem(T, "the element type of '" + VD->getNameAsString() +
                              "' is not written in its declaration");
    else
      elementTypeEdit(T,
                      Written.getArgLoc(0).getTypeSourceInfo()->getTypeLoc());
    // An allocator or comparator written out names the element type too.
    for (unsigned I = 1; Written && I < Written.getNumArgs(); ++I)
      if (Written.getArgLoc(I).getArgument().getKind() ==
          TemplateArgument::Type)
        containerProblem(T, "the declaration of '" + VD->getNameAsString() +
                                "' has template arguments besides the "
                                "element type");
    // Empty, or a count of empty elements: no thread, and no handle.
    if (Init) {
      const auto *Construct =
          dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit());
      if (!Construct || llvm::any_of(Construct->arguments(), [](const Expr *A) {
            return !isa<CXXDefaultArgExpr>(A) &&
                   !A->getType()->isIntegralOrEnumerationType();
          }))
        containerProblem(T, "'" + VD->getNameAsString() +
                                "' is initialised with threads");
    }
  }

  void elementTypeEdit(ThreadContainer &T, TypeLoc Type) {
    std::string Problem;
    Anchor Where = X.fileAnchor(Type.getSourceRange(), Problem);
    if (Problem.empty())
      T.Edits.push_back({std::move(Where), T.Rule->HandleType});
    else
      containerProblem(T, Problem);
  }

  static void containerProblem(ThreadContainer &T, std::string Problem) {
    if (T.Problem.empty())
      T.Problem = std::move(Problem);
  }

  /// The container of threads \p FD is, if it is a data member of a class
  /// that is not a template. Inline member functions are traversed before
  /// the members declared after them, so it is recorded at its first use.
  ThreadContainer *memberContainer(const FieldDecl *FD) {
    if (!FD || FD->getParent()->isDependentContext())
      return nullptr;
    recordThreadContainer(FD, FD->getInClassInitializer(),
                          FD->getQualifiedNameAsString());
    auto It = Containers.find(FD);
    return It == Containers.end() ? nullptr : &It->second;
  }

  /// The container \p VD is, or whose elements a range-for variable \p VD
  /// names.
  ThreadContainer *containerOrElementVar(const ValueDecl *VD) {
    if (auto It = ElementVars.find(VD); It != ElementVars.end())
      VD = It->second;
    auto It = Containers.find(VD);
    return It == Containers.end() ? nullptr : &It->second;
  }

  /// A member call on a container of threads. `ts.emplace_back(f, a)`,
  /// `ts.push_back(std::thread(f, a))` and their _front forms add a thread
  /// that may become a spawn; members that neither take nor give a thread
  /// mean the same on handles; element access is judged where the element
  /// is used (elementOf). Any other call leaves the reference unmarked,
  /// and declRef refuses the container.
  void containerCall(const CXXMemberCallExpr *CE, const Expr *Ref,
                     ThreadContainer &T) {
    static constexpr StringRef Neutral[] = {
        "size",     "empty",         "reserve",  "clear",     "capacity",
        "max_size", "shrink_to_fit", "pop_back", "pop_front", "resize"};
    StringRef Name = CE->getMethodDecl()->getName();
    if (llvm::is_contained(Neutral, Name)) {
      ThreadRefs.insert(Ref);
      return;
    }
    bool Emplace = Name == "emplace_back" || Name == "emplace_front";
    if ((!Emplace && Name != "push_back" && Name != "push_front") ||
        CE->getNumArgs() == 0)
      return;
    ThreadRefs.insert(Ref);
    CallFact C;
    const Expr *First = CE->getArg(0)->IgnoreImplicit();
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (CE->getNumArgs() == 1 && Spawns.threadRule(First->getType())) {
      // push_back(std::thread(f, a)) -> push_back(vinyl::spawn(f', a))
      if (!threadTemporary(First, Construct, Type) ||
          !Spawns.spawnedCallable(Construct, *T.Rule, C))
        return containerProblem(T, addedOtherwise(CE));
      Spawns.spawnEdit(C, Type.getSourceRange(), T.Rule->Replacement);
    } else {
      // emplace_back(f, a) -> emplace_back(vinyl::spawn(f', a))
      if (!Emplace ||
          !Spawns.spawnedCallable(First, CE->getNumArgs() - 1, *T.Rule, C))
        return containerProblem(T, addedOtherwise(CE));
      Spawns.spawnInsert(C, CE->getArg(0)->getBeginLoc(),
                         T.Rule->Replacement + "(");
      Spawns.spawnInsert(
          C,
          Lexer::getLocForEndOfToken(
              CE->getArg(CE->getNumArgs() - 1)->getEndLoc(), 0, X.SM, X.LO),
          ")");
    }
    // emplace_back returns the new element: a use of it is a thread.
    if (resultUsed(CE) && C.Problem.empty())
      C.Problem = "it is used through the result of '" + Name.str() + "'";
    addContainerSpawn(CE, std::move(C), T);
  }

  /// Whether the value of \p E is used: its parent is an expression or a
  /// declaration, not a statement that discards it.
  bool resultUsed(const Expr *E) {
    DynTypedNode Node = DynTypedNode::create(*E);
    for (;;) {
      auto Parents = X.Ctx.getParents(Node);
      if (Parents.empty())
        return false;
      if (const auto *P = Parents[0].get<Expr>()) {
        if (!isa<ExprWithCleanups>(P))
          return true;
        Node = Parents[0];
        continue;
      }
      return Parents[0].get<Decl>() != nullptr;
    }
  }

  std::string addedOtherwise(const Expr *E) {
    return "a thread is added at line " + std::to_string(X.lineOf(E)) +
           " that does not run a function or lambda of the paths";
  }

  void addContainerSpawn(const Expr *E, CallFact C, ThreadContainer &T) {
    C.Group = T.Group;
    size_t I = X.recordCall(E, std::move(C));
    X.Out.Calls[I].Loc = X.location(E->getBeginLoc());
    T.Spawns.push_back(I);
  }

  /// An element of a container of threads as the object of a member call:
  /// a range-for variable over it, `ts[i]`, `ts.at(i)`, `ts.front()`,
  /// `ts.back()`. \p Ref is then the reference the use would keep valid.
  ThreadContainer *elementOf(const Expr *Object, const Expr *&Ref) {
    Ref = nullptr;
    if (const auto *D = dyn_cast<DeclRefExpr>(Object)) {
      if (ElementVars.contains(D->getDecl())) {
        Ref = D;
        return containerOrElementVar(D->getDecl());
      }
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Object)) {
      if (Op->getOperator() == OO_Subscript)
        return containerAt(Op->getArg(0), Ref);
    } else if (const auto *Call = dyn_cast<CXXMemberCallExpr>(Object)) {
      const CXXMethodDecl *M = Call->getMethodDecl();
      if (M && M->getIdentifier() &&
          (M->getName() == "at" || M->getName() == "front" ||
           M->getName() == "back"))
        return containerAt(Call->getImplicitObjectArgument(), Ref);
    }
    return nullptr;
  }

  /// The container \p E names: a local (`ts`), or a member of this object
  /// (`workers_`, `this->workers_`). \p Ref is then the reference the use
  /// would keep valid.
  ThreadContainer *containerAt(const Expr *E, const Expr *&Ref) {
    Ref = nullptr;
    E = E->IgnoreParenImpCasts();
    const ValueDecl *D = nullptr;
    if (const auto *DR = dyn_cast<DeclRefExpr>(E))
      D = DR->getDecl();
    else if (const auto *ME = dyn_cast<MemberExpr>(E);
             ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      memberContainer(dyn_cast<FieldDecl>(D = ME->getMemberDecl()));
    auto It = D ? Containers.find(D) : Containers.end();
    if (It == Containers.end())
      return nullptr;
    Ref = E;
    return &It->second;
  }

  /// A member call on an element: the rule's join is awaited (see finish
  /// for the function it waits on); the handle's other members stay as
  /// written.
  void elementCall(const CXXMemberCallExpr *CE, const Expr *Ref,
                   ThreadContainer &T) {
    StringRef Name = CE->getMethodDecl()->getName();
    if (Name == T.Rule->Join) {
      ThreadRefs.insert(Ref);
      CallFact C;
      C.Kind = CallKind::Join;
      C.Group = T.Group;
      T.Joins.push_back(X.recordCall(CE, std::move(C)));
    } else if (llvm::is_contained(T.Rule->HandleMembers, Name)) {
      ThreadRefs.insert(Ref);
    }
  }

  /// A local thread used other than by the members its handle has: once
  /// it is a handle, that use would not compile or mean something else.
  void otherThreadUse(const DeclRefExpr *E, const ThreadVar &Thread) {
    CallFact &Spawn = X.Out.Calls[Thread.Spawn];
    if (!Spawn.Problem.empty())
      return;
    Spawn.Problem = "'" + E->getDecl()->getNameAsString() +
                    "' is used at line " + std::to_string(X.lineOf(E)) +
                    " other than by calling " + handleMembers(*Thread.Rule);
  }

  /// A container or one of its range-for elements used where handles
  /// would not compile or would mean something else.
  void otherContainerUse(const Expr *E, const ValueDecl *D,
                         ThreadContainer &T) {
    std::string Name = D->getNameAsString();
    if (ElementVars.contains(D))
      return containerProblem(
          T, "'" + Name + "' is used at line " + std::to_string(X.lineOf(E)) +
                 " other than by calling " + handleMembers(*T.Rule));
    containerProblem(
        T, "'" + Name + "' is used at line " + std::to_string(X.lineOf(E)) +
               " other than to add a thread, to iterate over "
               "it, to call " +
               handleMembers(*T.Rule) + " on an element or to ask its size");
  }

  ThreadSpawns Spawns;
  /// Local threads that may become spawned tasks, and the uses of them the
  /// rewrite keeps valid.
  DenseMap<const ValueDecl *, ThreadVar> ThreadVars;
  DenseSet<const Expr *> ThreadRefs;
  /// Containers of threads, and range-for variables over them.
  MapVector<const ValueDecl *, ThreadContainer> Containers;
  DenseMap<const ValueDecl *, const ValueDecl *> ElementVars;
};

} // namespace

std::unique_ptr<Facet> makeThreadsFacet(ExtractContext &X) {
  return std::make_unique<ThreadsFacet>(X);
}

} // namespace vinyl::extract
