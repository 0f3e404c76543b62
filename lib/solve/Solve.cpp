//===- Solve.cpp - Whole-program colouring from the I/O leaves up ---------===//
//
// The worklist of Binaryen's Asyncify (propagateBack): start from every
// function that calls a leaf, walk call edges backwards, colour callers
// async. Families (override families, the callees of one template call,
// a callback type and the functions stored as it) take one colour. A
// caller that cannot become a coroutine (main, code outside the paths, a
// constructor with the fallback allowed) makes its callee keep a blocking
// facade instead; one that must not stay blocking (a constructor, a
// constexpr or C-variadic function) is an error with the chain explained.
// Then the rules (SolverState.h) decide facades and refusals.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

#include <deque>
#include <set>

using namespace llvm;

namespace vinyl {

bool Solution::isAsync(const std::string &Id) const {
  auto It = States.find(Id);
  return It != States.end() && It->second.Async;
}

bool Solution::hasFacade(const std::string &Id) const {
  auto It = States.find(Id);
  return It != States.end() && It->second.Facade;
}

bool Solution::hasErrors() const {
  for (const Diagnostic &D : Diags)
    if (D.Severity == Diagnostic::Error)
      return true;
  return false;
}

namespace solver {

bool isFunctionObject(const FunctionFact &F) {
  return !F.IsLambda && StringRef(F.Name).ends_with("::operator()");
}

std::string SolverState::whyNotCoroutine(const FunctionFact &F) const {
  if (F.IsConstructor)
    return "constructor";
  if (F.IsDestructor)
    return "destructor";
  if (F.IsConsteval)
    return "consteval function";
  if (F.IsConstexpr)
    return "constexpr function";
  if (F.IsConversion)
    return "conversion operator";
  if (F.IsVariadic)
    return "C variadic function";
  if (HandedOn.count(F.Id))
    return F.IsLambda ? "lambda" : "function object";
  if (OverriddenOutside.count(F.Id))
    return "virtual function";
  if (!F.OverridesOutside.empty())
    return "override";
  if (Pinned.count(F.Id))
    return F.IsOperator ? "operator" : "function";
  return "";
}

bool SolverState::canFallBack(const FunctionFact &F) const {
  return F.IsConstructor || F.IsDestructor || F.IsConversion ||
         HandedOn.count(F.Id) || Pinned.count(F.Id) ||
         !F.OverridesOutside.empty() || OverriddenOutside.count(F.Id) ||
         (F.IsVariadic && !F.IsConstexpr);
}

Diagnostic SolverState::cannotConvert(const FunctionFact &Fn,
                                      StringRef What) const {
  Diagnostic D;
  D.Loc = Fn.Loc;
  D.Check = "vinyl-cannot-convert";
  D.Message =
      fmt::format("{} '{}' reaches blocking I/O but cannot become a coroutine",
                  What, Fn.Name);
  return D;
}

void SolverState::explainInto(Diagnostic &D, const std::string &Id) const {
  if (isLeafId(Id))
    return;
  for (Note &N : explainChain(F, S, Id))
    D.Notes.push_back(std::move(N));
}

void SolverState::error(const Location &Loc, std::string Message,
                        const std::string &Id, const std::string &Culprit) {
  S.Refused.insert(Culprit.empty() ? Id : Culprit);
  Diagnostic D;
  D.Loc = Loc;
  D.Check = "vinyl-cannot-convert";
  D.Message = std::move(Message);
  D.Notes = explainChain(F, S, Id);
  S.Diags.push_back(std::move(D));
}

Diagnostic SolverState::fallback(const Location &Loc, std::string Message,
                                 const std::string &Id, bool AllowedAnyway) {
  Diagnostic D;
  D.Loc = Loc;
  D.Check = "vinyl-blocking-fallback";
  D.Message = std::move(Message);
  if (C.Fallback == BlockingFallback::Warn || AllowedAnyway) {
    D.Severity = Diagnostic::Warning;
    return D;
  }
  D.Message += " (refused: facades: { blocking_fallback: error })";
  S.Refused.insert(Id);
  return D;
}

namespace {

/// The worklist: colours every function that reaches a leaf.
class Colouring {
public:
  explicit Colouring(SolverState &St) : St(St), F(St.F), S(St.S) {}

  void run() {
    for (size_t I = 0; I < F.Calls.size(); ++I)
      St.CallsOf[F.Calls[I].Callee].push_back(I);
    for (const auto &[Id, Fn] : F.Functions) {
      for (const std::string &Base : Fn.Overrides) {
        St.FamilyOf[Id].push_back(Base);
        St.FamilyOf[Base].push_back(Id);
      }
      if (!Fn.SpecializationOf.empty()) {
        St.FamilyOf[Id].push_back(Fn.SpecializationOf);
        St.FamilyOf[Fn.SpecializationOf].push_back(Id);
        St.Specialized.insert(Fn.SpecializationOf);
      }
      if (Fn.WrittenInline)
        St.InlineFamilies.push_back(Id);
    }
    // One call in a template's text that resolves to different functions
    // in different instantiations awaits all of them or none.
    std::map<std::pair<std::string, Anchor>, std::vector<std::string>> Sites;
    for (const CallFact &Call : F.Calls)
      if (Call.Dependent && F.Functions.count(Call.Callee))
        Sites[{Call.Caller, Call.Call}].push_back(Call.Callee);
    for (auto &[Site, Callees] : Sites) {
      llvm::sort(Callees);
      Callees.erase(std::unique(Callees.begin(), Callees.end()), Callees.end());
      for (size_t I = 1; I < Callees.size(); ++I) {
        St.FamilyOf[Callees[0]].push_back(Callees[I]);
        St.FamilyOf[Callees[I]].push_back(Callees[0]);
      }
    }
    // A function stored as a callback type joins that type's family.
    for (const CallFact &Call : F.Calls)
      if (!Call.CallbackType.empty()) {
        St.CallbackOf[Call.CallbackType].push_back(Call.Callee);
        St.CallbackOf[Call.Callee].push_back(Call.CallbackType);
      }
    // A closure or function object handed to code that calls it without
    // awaiting stays synchronous (a callback type's family is awaited).
    for (size_t I = 0; I < F.Calls.size(); ++I) {
      const CallFact &Call = F.Calls[I];
      const FunctionFact *Callee = St.function(Call.Callee);
      if (!Callee || Callee->IsCoroutine ||
          !(Callee->IsLambda || isFunctionObject(*Callee)))
        continue;
      // Code outside the paths that calls one (a lambda a header keeps in
      // a variable) cannot await it, nor wait on it in place.
      const FunctionFact *Caller = St.function(Call.Caller);
      bool OutsideCall = Call.Kind != CallKind::AddressTaken &&
                         Call.Call.File.empty() &&
                         (!Caller || !Caller->Writable);
      if ((Call.Kind == CallKind::AddressTaken && Call.CallbackType.empty()) ||
          OutsideCall)
        St.HandedOn.try_emplace(Call.Callee, I);
    }
    // A family that code outside the paths overrides too keeps the old
    // signature: the outside override cannot become a coroutine.
    for (const auto &[Id, Fn] : F.Functions) {
      if (!Fn.IsOutsideOverride)
        continue;
      std::deque<std::string> Members = {Id};
      while (!Members.empty()) {
        std::string M = std::move(Members.front());
        Members.pop_front();
        if (St.OverriddenOutside.try_emplace(M, Id).second)
          llvm::append_range(Members, St.FamilyOf[M]);
      }
    }
    for (const auto &[Id, Fn] : F.Functions)
      if (Fn.IsCoroutine)
        colour(Id, -1);
    for (size_t I = 0; I < F.Calls.size(); ++I)
      if (isLeafId(F.Calls[I].Callee))
        reach(I);
    for (const auto &[Id, Use] : St.SyncRoots) {
      colour(Id, -1);
      S.States[Id].SyncUse = static_cast<int>(Use);
    }
    while (!Work.empty()) {
      std::string Id = Work.front();
      Work.pop_front();
      for (const std::string &Member : St.FamilyOf[Id])
        joinFamily(Member, Id);
      for (const std::string &Member : St.CallbackOf[Id])
        joinFamily(Member, Id);
      for (size_t I : St.CallsOf[Id])
        reach(I);
    }
    sayWrittenFallbacks();
    warnWaitsInCoroutines();
  }

private:
  void colour(const std::string &Id, int Reason) {
    FunctionState &State = S.States[Id];
    if (State.Async)
      return;
    State.Async = true;
    State.Reason = Reason;
    Work.push_back(Id);
  }

  /// A call through the base must be awaitable whichever override runs, so
  /// an override family is async as a whole.
  void joinFamily(const std::string &Id, const std::string &Via) {
    if (S.isAsync(Id) || S.Refused.count(Id))
      return;
    const FunctionFact *Fn = St.function(Id);
    if (!Fn) {
      // A callback type declared outside the paths: calls through it are
      // still awaited, and checkRewritable refuses it.
      if (isCallbackId(Id)) {
        colour(Id, -1);
        S.States[Id].Family = Via;
      }
      return;
    }
    if (std::string What = St.whyNotCoroutine(*Fn); !What.empty()) {
      Diagnostic D = St.cannotConvert(*Fn, What);
      D.Notes.push_back({Fn->Loc, familyNote(F, Id, Via)});
      St.explainInto(D, Via);
      S.Diags.push_back(std::move(D));
      S.Refused.insert(Id);
      return;
    }
    colour(Id, -1);
    S.States[Id].Family = Via;
  }

  /// Call \p I reaches I/O (its callee is a leaf or async): decide what
  /// that means for the caller.
  void reach(size_t I) {
    const CallFact &Call = F.Calls[I];
    if (Call.BlockedOn || Call.Kind == CallKind::AddressTaken ||
        Call.Kind == CallKind::Spawn)
      return; // A blocking wait, no call at all, or one that does not wait.
    const FunctionFact *Caller = St.function(Call.Caller);
    // A synchronous twin blocks by design: its facade runs it only where
    // the coroutine would not suspend either.
    if (Caller && Caller->IsTwin)
      return;
    bool Leaf = isLeafId(Call.Callee);
    // An awaitable leaf outside a coroutine is only being passed around.
    if (Leaf && Call.Awaited && !(Caller && Caller->IsCoroutine))
      return;
    // Code that calls an existing coroutine already handles the task it
    // gets (spawns it, stores it, waits on it); that does not make it async.
    if (const FunctionFact *Callee = St.function(Call.Callee);
        Callee && Callee->IsCoroutine && !(Caller && Caller->IsCoroutine))
      return;
    if (!Caller || !Caller->Writable ||
        (Caller->IsMain && St.C.syncMain())) {
      // Synchronous by nature; a leaf there simply stays blocking.
      if (!Leaf)
        St.SyncCalls.push_back(I);
      return;
    }
    if (std::string What = St.whyNotCoroutine(*Caller); !What.empty()) {
      if (!St.canFallBack(*Caller)) {
        refuse(*Caller, What, I);
        return;
      }
      if (!fallBack(*Caller, What, I))
        return;
      if (!Leaf)
        St.SyncCalls.push_back(I);
      else if (Call.Problem.empty() && !Call.Awaited)
        S.LeafWaits.insert(I);
      return;
    }
    colour(Call.Caller, I);
  }

  /// A function that stays synchronous, calling blocking facades: said
  /// once, at the function, with the chain of its first call that reaches
  /// I/O. `blocking_fallback: error` makes it a refusal (constructors and
  /// destructors stay allowed by allow_blocking_constructors). Whether it
  /// falls back.
  bool fallBack(const FunctionFact &Fn, StringRef What, size_t Via) {
    if (!FellBack.insert(Fn.Id).second)
      return !S.Refused.count(Fn.Id);
    std::string Subject = Fn.IsLambda ? fmt::format("the {}", Fn.Name)
                                      : fmt::format("{} '{}'", What, Fn.Name);
    Diagnostic D = St.fallback(
        Fn.Loc,
        Fn.IsMain
            ? fmt::format("'main' reaches blocking I/O but cannot become the "
                          "coroutine '{}' under a blocking facade: it stays "
                          "synchronous (what it calls keeps a blocking "
                          "facade; a leaf it calls is waited for with "
                          "block_on), and in async mode each of its waits "
                          "runs the event loop by itself",
                          St.C.asyncName("main"))
            : fmt::format("{} reaches blocking I/O but cannot become a "
                          "coroutine: it stays synchronous (what it calls "
                          "keeps a blocking facade; a leaf it calls is waited "
                          "for with block_on), and in async mode it waits in "
                          "a nested run of the event loop",
                          Subject),
        Fn.Id,
        (Fn.IsConstructor || Fn.IsDestructor) &&
            St.C.AllowBlockingConstructors);
    if (!Fn.OverridesOutside.empty() && What == "override")
      D.Notes.push_back(
          {Fn.Loc, fmt::format("it overrides '{}', which is declared outside "
                               "the paths: callers through it expect the "
                               "old type",
                               Fn.OverridesOutside)});
    if (auto It = St.OverriddenOutside.find(Fn.Id);
        It != St.OverriddenOutside.end() && What == "virtual function")
      if (const FunctionFact *Outside = St.function(It->second))
        D.Notes.push_back(
            {Outside->Loc,
             fmt::format("'{}' overrides it outside the paths, where it "
                         "cannot become a coroutine: the family keeps its "
                         "signature",
                         Outside->Name)});
    if (auto It = St.Pinned.find(Fn.Id); Fn.IsMain) {
      // Pinned by an earlier colouring, or (a converted tree) found now.
      size_t Pin = It != St.Pinned.end()
                       ? It->second
                       : mainPin(St, Fn).value_or(St.NoPinningCall);
      D.Notes.push_back(whyMainStaysSync(St, Fn, Pin));
    } else if (It != St.Pinned.end() && It->second == St.NoPinningCall) {
      // Pinned for what its coroutine would be, not for a call.
      if (!Fn.AsyncNameTaken.empty())
        D.Notes.push_back(
            {Fn.AsyncNameTakenAt,
             fmt::format("its coroutine, beside a blocking facade, would "
                         "take the name of '{}', declared here, and callers "
                         "of that one could then pick the coroutine; rename "
                         "one of them, or set another `name_scheme` in "
                         ".vinyl.yaml",
                         Fn.AsyncNameTaken)});
      else if (const DeclFact *Unnameable = findUnnameable(Fn))
        D.Notes.push_back({Unnameable->Loc, Unnameable->Problem});
      else
        D.Notes.push_back(
            {Fn.Loc, "its `auto` result type is known in no translation "
                     "unit (none instantiates it), so its coroutine's type "
                     "cannot be written"});
    } else if (It != St.Pinned.end()) {
      const CallFact &Pin = F.Calls[It->second];
      D.Notes.push_back(
          {Pin.Loc, Pin.Kind != CallKind::Implicit
                        ? std::string("synchronous code calls it here, and "
                                      "an operator cannot keep a blocking "
                                      "facade under another name")
                    : StringRef(Pin.Problem).contains("a range-for")
                        ? std::string("a range-for calls it here for its "
                                      "iteration, which cannot await")
                        : Pin.Problem});
    }
    if (auto It = St.HandedOn.find(Fn.Id); It != St.HandedOn.end()) {
      const CallFact &Escape = F.Calls[It->second];
      D.Notes.push_back(
          {Escape.Loc,
           Escape.Kind != CallKind::AddressTaken
               ? std::string("it is called here by code outside the paths, "
                             "which does not await")
           : Escape.Problem.empty()
               ? std::string("its closure is stored or passed on here, to "
                             "code that calls it without awaiting")
               : fmt::format("{}: {}",
                             Fn.IsLambda ? "its closure is passed on here"
                                         : "an object is passed on here",
                             Escape.Problem)});
    }
    const CallFact &Call = F.Calls[Via];
    D.Notes.push_back(viaNote(Fn, Call));
    St.explainInto(D, Call.Callee);
    bool Allowed = D.Severity == Diagnostic::Warning;
    S.Diags.push_back(std::move(D));
    return Allowed;
  }

  /// A tree an earlier run converted: a function that stayed synchronous
  /// there (a constructor, a pinned operator, a lambda handed to an
  /// algorithm) now waits with block_on or calls blocking facades, which
  /// the colouring does not follow. It is said again, as that run did, so
  /// that --check and later runs keep reporting it.
  void sayWrittenFallbacks() {
    findFacadeTwins(St);
    for (size_t I = 0; I < F.Calls.size(); ++I) {
      const CallFact &Call = F.Calls[I];
      bool Waits = Call.Kind == CallKind::BlockingWait ||
                   (S.FacadeTwins.count(Call.Callee) &&
                    Call.Kind != CallKind::AddressTaken &&
                    Call.Kind != CallKind::Spawn && !Call.BlockedOn);
      const FunctionFact *Caller = St.function(Call.Caller);
      if (!Waits || !Caller || !Caller->Writable || Caller->IsTwin ||
          Caller->IsCoroutine || S.isAsync(Caller->Id) ||
          S.FacadeTwins.count(Caller->Id) || FellBack.count(Caller->Id))
        continue;
      std::string What = St.whyNotCoroutine(*Caller);
      // A `main` that waits but is no facade stayed synchronous because
      // its coroutine could not be written, if it still cannot.
      if (Caller->IsMain) {
        if (St.C.syncMain() || !mainPin(St, *Caller))
          continue;
        What = "function";
      }
      if (What.empty() && Caller->IsOperator)
        What = "operator";
      // What a range-for calls for its iteration (`begin`) cannot await.
      const CallFact *RangeFor = nullptr;
      for (size_t J : St.CallsOf[Caller->Id])
        if (F.Calls[J].Kind == CallKind::Implicit && !RangeFor &&
            StringRef(F.Calls[J].Problem).contains("a range-for makes"))
          RangeFor = &F.Calls[J];
      if (What.empty() && RangeFor)
        What = "function";
      if (What.empty())
        continue; // Synchronous code that uses a facade, as it may.
      size_t Before = S.Diags.size();
      fallBack(*Caller, What, I);
      if (RangeFor && S.Diags.size() > Before)
        S.Diags.back().Notes.insert(
            S.Diags.back().Notes.begin(),
            {RangeFor->Loc, "a range-for calls it here for its iteration, "
                            "which cannot await"});
    }
  }

  /// The declaration of \p Fn whose deduced type cannot be written.
  static const DeclFact *findUnnameable(const FunctionFact &Fn) {
    for (const DeclFact &D : Fn.Decls)
      if (StringRef(D.Problem).starts_with(UnnameableDeducedType))
        return &D;
    return nullptr;
  }

  /// The note on the call through which \p Fn reaches I/O.
  Note viaNote(const FunctionFact &Fn, const CallFact &Call) const {
    if (Call.Kind == CallKind::BlockingWait)
      return {Call.Loc,
              fmt::format("'{}' waits with '{}' here", F.displayName(Fn.Id),
                          StringRef(Call.Callee).drop_front(5))};
    if (auto Twin = S.FacadeTwins.find(Call.Callee);
        Twin != S.FacadeTwins.end())
      return {Call.Loc,
              fmt::format("'{}' calls '{}' here, a blocking facade over '{}'",
                          F.displayName(Fn.Id), F.displayName(Call.Callee),
                          F.displayName(Twin->second))};
    return callNote(F, Fn.Id, Call);
  }

  /// A function that stays synchronous (a constructor that connects, an
  /// RAII guard that fetches a pooled connection) called inside a
  /// coroutine makes the same blocking wait there: said at each such call.
  void warnWaitsInCoroutines() {
    for (const std::string &Id : FellBack) {
      if (S.Refused.count(Id))
        continue;
      const FunctionFact *Callee = St.function(Id);
      for (size_t I : St.CallsOf[Id]) {
        const CallFact &Call = F.Calls[I];
        const FunctionFact *Caller = St.function(Call.Caller);
        if (!Callee || !Caller || Call.BlockedOn ||
            Call.Kind == CallKind::AddressTaken ||
            Call.Kind == CallKind::Spawn ||
            !(Caller->IsCoroutine || S.isAsync(Caller->Id)))
          continue;
        StringRef Class = StringRef(Callee->Name).rsplit("::").first;
        std::string Subject =
            Callee->IsConstructor ? fmt::format("constructing a '{}'", Class)
            : Callee->IsDestructor
                ? fmt::format("destroying a '{}'", Class)
                : fmt::format("calling '{}'", F.displayName(Id));
        Diagnostic D = St.fallback(
            Call.Loc,
            fmt::format(
                "{} here, inside the coroutine '{}', waits for its "
                "I/O: it stays synchronous, and in async mode this waits "
                "in a nested run of the event loop",
                Subject, F.displayName(Caller->Id)),
            Caller->Id,
            (Callee->IsConstructor || Callee->IsDestructor) &&
                St.C.AllowBlockingConstructors);
        D.Notes.push_back({Callee->definitionLoc(),
                           "it stays synchronous (see the warning there)"});
        S.Diags.push_back(std::move(D));
      }
    }
  }

  void refuse(const FunctionFact &Fn, StringRef What, size_t Via) {
    if (!S.Refused.insert(Fn.Id).second)
      return;
    Diagnostic D = St.cannotConvert(Fn, What);
    const CallFact &Call = F.Calls[Via];
    D.Notes.push_back(callNote(F, Fn.Id, Call));
    St.explainInto(D, Call.Callee);
    S.Diags.push_back(std::move(D));
  }

  SolverState &St;
  const Facts &F;
  Solution &S;
  std::deque<std::string> Work;
  std::set<std::string> FellBack;
};

} // namespace
} // namespace solver

/// The rules that read the final colours.
static Solution finishSolution(solver::SolverState &St) {
  solver::findFacadeTwins(St);
  solver::decideSyncObjects(St);
  solver::checkRewritable(St);
  solver::waitsInCoroutines(St);
  solver::chooseTwins(St);
  solver::chooseFastPaths(St);
  solver::warnInactiveCode(St);
  sortDiagnostics(St.S.Diags);
  return std::move(St.S);
}

Solution solve(const Facts &F, const Config &C) {
  // Colouring decides what is async; a function some call cannot await
  // after all is pinned synchronous, and the colours are made again
  // without it, until none is left (each pass pins more, or stops).
  // The same for a synchronous function that would wait on a mutex or a
  // condition variable that becomes a vinyl one, where a coroutine calls
  // it: it becomes a coroutine too.
  std::map<std::string, size_t> Pinned, SyncRoots;
  for (;;) {
    solver::SolverState St(F, C);
    St.Pinned = Pinned;
    St.SyncRoots = SyncRoots;
    solver::Colouring(St).run();
    solver::decideFacades(St);
    std::map<std::string, size_t> More = solver::functionsToPin(St);
    if (!More.empty()) {
      Pinned.insert(More.begin(), More.end());
      continue;
    }
    if (std::map<std::string, size_t> Roots = solver::syncRootsToAdd(St);
        !Roots.empty()) {
      SyncRoots.insert(Roots.begin(), Roots.end());
      continue;
    }
    return finishSolution(St);
  }
}

} // namespace vinyl
