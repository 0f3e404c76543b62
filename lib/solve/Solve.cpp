//===- Solve.cpp - Whole-program colouring from the I/O leaves up ---------===//
//
// The worklist of Binaryen's Asyncify (propagateBack): start from every
// function that calls a leaf, walk call edges backwards, colour callers
// async. A caller that cannot become a coroutine (main, code outside the
// paths, a constructor with the fallback allowed) makes its callee keep a
// blocking facade instead; one that must not stay blocking (a constructor,
// a constexpr or C-variadic function) is an error with the chain explained.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/solve/Solve.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
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

FamilyKind familyKind(const Facts &F, const std::string &Id,
                      const std::string &Via) {
  if (isCallbackId(Id) || isCallbackId(Via))
    return FamilyKind::CallbackType;
  auto Overrides = [&](const std::string &A, const std::string &B) {
    auto It = F.Functions.find(A);
    return It != F.Functions.end() &&
           llvm::is_contained(It->second.Overrides, B);
  };
  if (Overrides(Id, Via) || Overrides(Via, Id))
    return FamilyKind::Override;
  return FamilyKind::TemplateCall;
}

std::string familyLink(const Facts &F, const std::string &Id,
                       const std::string &Via, bool Quote) {
  std::string Other = F.displayName(Via);
  if (Quote)
    Other = "'" + Other + "'";
  switch (familyKind(F, Id, Via)) {
  case FamilyKind::CallbackType:
    return isCallbackId(Via) ? "is stored as callback type " + Other
                             : "holds " + Other;
  case FamilyKind::Override:
    return "is in the override family of " + Other;
  case FamilyKind::TemplateCall:
    return "is called by the same template code as " + Other +
           ", in another instantiation";
  }
  llvm_unreachable("covered switch");
}

/// Why \p Id is async because \p Via is: one family.
static std::string familyNote(const Facts &F, const std::string &Id,
                              const std::string &Via) {
  return (isCallbackId(Id) ? "callback type '" : "'") + F.displayName(Id) +
         "' " + familyLink(F, Id, Via);
}

/// "'f' calls 'g' here", or for a join, "'f' joins a thread that runs 'g'".
static Note callNote(const Facts &F, const std::string &Caller,
                     const CallFact &C) {
  return {C.Loc, "'" + F.displayName(Caller) +
                     (C.Kind == CallKind::Join ? "' joins a thread that runs '"
                                               : "' calls '") +
                     F.displayName(C.Callee) + "' here"};
}

std::vector<Note> explainChain(const Facts &F, const Solution &S,
                               const std::string &Id) {
  std::vector<Note> Chain;
  std::set<std::string> Seen;
  std::string Current = Id;
  while (Seen.insert(Current).second) {
    auto It = S.States.find(Current);
    if (It == S.States.end())
      break;
    if (It->second.Reason < 0 && !It->second.Family.empty()) {
      const std::string &Other = It->second.Family;
      auto Fn = F.Functions.find(Current);
      Chain.push_back({Fn == F.Functions.end() ? Location() : Fn->second.Loc,
                       familyNote(F, Current, Other)});
      Current = Other;
      continue;
    }
    if (It->second.Reason < 0)
      break;
    const CallFact &C = F.Calls[It->second.Reason];
    Chain.push_back(callNote(F, Current, C));
    if (isLeafId(C.Callee))
      break;
    Current = C.Callee;
  }
  return Chain;
}

namespace {

/// Why a function that reaches I/O cannot be a coroutine, or "".
std::string cannotBeCoroutine(const FunctionFact &F) {
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
  return "";
}

class Solver {
public:
  Solver(const Facts &F, const Config &C) : F(F), C(C) {}

  Solution run() {
    for (size_t I = 0; I < F.Calls.size(); ++I)
      CallsOf[F.Calls[I].Callee].push_back(I);
    for (const auto &[Id, Fn] : F.Functions)
      for (const std::string &Base : Fn.Overrides) {
        FamilyOf[Id].push_back(Base);
        FamilyOf[Base].push_back(Id);
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
        FamilyOf[Callees[0]].push_back(Callees[I]);
        FamilyOf[Callees[I]].push_back(Callees[0]);
      }
    }
    // A function stored as a callback type joins that type's family.
    for (const CallFact &Call : F.Calls)
      if (!Call.CallbackType.empty()) {
        CallbackOf[Call.CallbackType].push_back(Call.Callee);
        CallbackOf[Call.Callee].push_back(Call.CallbackType);
      }
    for (const auto &[Id, Fn] : F.Functions)
      if (Fn.IsCoroutine)
        colour(Id, -1);
    for (size_t I = 0; I < F.Calls.size(); ++I)
      if (isLeafId(F.Calls[I].Callee))
        reach(I);
    while (!Work.empty()) {
      std::string Id = Work.front();
      Work.pop_front();
      for (const std::string &Member : FamilyOf[Id])
        joinFamily(Member, Id);
      for (const std::string &Member : CallbackOf[Id])
        joinFamily(Member, Id);
      for (size_t I : CallsOf[Id])
        reach(I);
    }
    decideFacades();
    findFacadeTwins();
    checkRewritable();
    sortDiagnostics(S.Diags);
    return std::move(S);
  }

private:
  const FunctionFact *function(const std::string &Id) const {
    auto It = F.Functions.find(Id);
    return It == F.Functions.end() ? nullptr : &It->second;
  }

  void colour(const std::string &Id, int Reason) {
    FunctionState &St = S.States[Id];
    if (St.Async)
      return;
    St.Async = true;
    St.Reason = Reason;
    Work.push_back(Id);
  }

  /// A call through the base must be awaitable whichever override runs, so
  /// an override family is async as a whole.
  void joinFamily(const std::string &Id, const std::string &Via) {
    if (S.isAsync(Id) || S.Refused.count(Id))
      return;
    const FunctionFact *Fn = function(Id);
    if (!Fn) {
      // A callback type declared outside the paths: calls through it are
      // still awaited, and checkRewritable refuses it.
      if (isCallbackId(Id)) {
        colour(Id, -1);
        S.States[Id].Family = Via;
      }
      return;
    }
    if (std::string What = cannotBeCoroutine(*Fn); !What.empty()) {
      Diagnostic D = cannotConvert(*Fn, What);
      D.Notes.push_back({Fn->Loc, familyNote(F, Id, Via)});
      explainInto(D, Via);
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
    const FunctionFact *Caller = function(Call.Caller);
    bool Leaf = isLeafId(Call.Callee);
    // An awaitable leaf outside a coroutine is only being passed around.
    if (Leaf && Call.Awaited && !(Caller && Caller->IsCoroutine))
      return;
    // Code that calls an existing coroutine already handles the task it
    // gets (spawns it, stores it, waits on it); that does not make it async.
    if (const FunctionFact *Callee = function(Call.Callee);
        Callee && Callee->IsCoroutine && !(Caller && Caller->IsCoroutine))
      return;
    if (!Caller || !Caller->Writable || Caller->IsMain) {
      // Synchronous by nature; a leaf there simply stays blocking.
      if (!Leaf)
        SyncCalls.push_back(I);
      return;
    }
    if (std::string What = cannotBeCoroutine(*Caller); !What.empty()) {
      bool Constructor = Caller->IsConstructor || Caller->IsDestructor;
      if (Constructor && C.AllowBlockingConstructors) {
        if (!Leaf)
          SyncCalls.push_back(I);
        return;
      }
      refuse(*Caller, What, I);
      return;
    }
    colour(Call.Caller, I);
  }

  Diagnostic cannotConvert(const FunctionFact &Fn, StringRef What) {
    Diagnostic D;
    D.Loc = Fn.Loc;
    D.Check = "vinyl-cannot-convert";
    D.Message = (What + " '" + Fn.Name +
                 "' reaches blocking I/O but cannot become a coroutine")
                    .str();
    if (Fn.IsConstructor || Fn.IsDestructor)
      D.Message += "; --allow-blocking-constructors keeps it synchronous "
                   "through blocking facades";
    return D;
  }

  void explainInto(Diagnostic &D, const std::string &Id) {
    if (isLeafId(Id))
      return;
    for (Note &N : explainChain(F, S, Id))
      D.Notes.push_back(std::move(N));
  }

  void refuse(const FunctionFact &Fn, StringRef What, size_t Via) {
    if (!S.Refused.insert(Fn.Id).second)
      return;
    Diagnostic D = cannotConvert(Fn, What);
    const CallFact &Call = F.Calls[Via];
    D.Notes.push_back(callNote(F, Fn.Id, Call));
    explainInto(D, Call.Callee);
    S.Diags.push_back(std::move(D));
  }

  void decideFacades() {
    for (size_t I : SyncCalls) {
      const FunctionFact *Callee = function(F.Calls[I].Callee);
      // A lambda has no name to keep: its synchronous callers wait on it,
      // as they wait on a join of a thread that became a task and on a
      // call through a callback type.
      if ((Callee && Callee->IsLambda) || isCallbackId(F.Calls[I].Callee) ||
          F.Calls[I].Kind == CallKind::Join)
        S.BlockOnCalls.insert(I);
      else
        S.States[F.Calls[I].Callee].Facade = true;
    }
    for (auto &[Id, St] : S.States) {
      const FunctionFact *Fn = function(Id);
      // C code calls a C function; it cannot await.
      if (Fn && Fn->IsExternC)
        St.Facade = true;
      if (Fn && Fn->ExternalApi && C.Facades == FacadePolicy::PublicApi)
        St.Facade = true;
    }
    // Overrides share one name: all of them are renamed, or none.
    std::deque<std::string> Spread;
    for (auto &[Id, St] : S.States)
      if (St.Facade)
        Spread.push_back(Id);
    while (!Spread.empty()) {
      std::string Id = Spread.front();
      Spread.pop_front();
      for (const std::string &Member : FamilyOf[Id])
        if (FunctionState &St = S.States[Member]; St.Async && !St.Facade) {
          St.Facade = true;
          Spread.push_back(Member);
        }
    }
    // A function that already is a coroutine has no old signature to keep.
    for (auto &[Id, St] : S.States)
      if (const FunctionFact *Fn = function(Id); Fn && Fn->IsCoroutine)
        St.Facade = false;
  }

  /// A facade written by an earlier run (or by hand the same way): a
  /// synchronous function that blocks on the coroutine named by the scheme
  /// after it. Async code calls the coroutine instead.
  void findFacadeTwins() {
    for (const CallFact &Call : F.Calls) {
      if (!Call.BlockedOn)
        continue;
      const FunctionFact *Facade = function(Call.Caller);
      const FunctionFact *Twin = function(Call.Callee);
      if (!Facade || !Twin || Facade->IsCoroutine || !Twin->IsCoroutine)
        continue;
      StringRef Name = Facade->Name, TwinName = Twin->Name;
      if (C.asyncName(Name.substr(Name.rfind(':') + 1)) ==
          TwinName.substr(TwinName.rfind(':') + 1))
        S.FacadeTwins[Facade->Id] = Twin->Id;
    }
  }

  /// An error explained by the chain of \p Id; \p Culprit (default: \p Id)
  /// is the function the error keeps from being converted.
  void error(const Location &Loc, std::string Message, const std::string &Id,
             const std::string &Culprit = "") {
    S.Refused.insert(Culprit.empty() ? Id : Culprit);
    Diagnostic D;
    D.Loc = Loc;
    D.Check = "vinyl-cannot-convert";
    D.Message = std::move(Message);
    D.Notes = explainChain(F, S, Id);
    S.Diags.push_back(std::move(D));
  }

  /// A mutex held across a suspension: on the event loop another task that
  /// takes it blocks the loop's thread, and the holder never gets back to
  /// release it. A warning: converting does not change what the code
  /// does in blocking mode, and a unique_lock may be released before.
  void lockAcrossAwait(const CallFact &Call) {
    if (Call.HeldLock.empty() || Call.BlockedOn || !Call.Problem.empty() ||
        Call.Kind == CallKind::AddressTaken || Call.Kind == CallKind::Spawn ||
        Call.Kind == CallKind::Implicit)
      return;
    const FunctionFact *Caller = function(Call.Caller);
    bool Awaited = (Call.Awaited && Caller && Caller->IsCoroutine) ||
                   (S.isAsync(Call.Caller) &&
                    (isLeafId(Call.Callee) || S.isAsync(Call.Callee)));
    if (!Awaited)
      return;
    Diagnostic D;
    D.Severity = Diagnostic::Warning;
    D.Loc = Call.Loc;
    D.Check = "vinyl-lock-across-await";
    D.Message = "the lock " + Call.HeldLock +
                " is held across this call, which is a co_await: on the "
                "event loop another task that takes the same mutex blocks "
                "the thread; release the lock before the call";
    D.Notes = explainChain(F, S, Call.Callee);
    S.Diags.push_back(std::move(D));
  }

  /// A container holds threads or handles, not both: the threads kept in
  /// one become tasks together or not at all.
  void checkThreadContainers() {
    StringMap<const CallFact *> Tasks;
    for (const CallFact &Call : F.Calls)
      if (Call.Kind == CallKind::Spawn && !Call.Group.empty() &&
          S.isAsync(Call.Callee))
        Tasks.try_emplace(Call.Group, &Call);
    for (const CallFact &Call : F.Calls) {
      if (Call.Kind != CallKind::Spawn || Call.Group.empty() ||
          S.isAsync(Call.Callee))
        continue;
      auto It = Tasks.find(Call.Group);
      if (It == Tasks.end())
        continue;
      const CallFact &Task = *It->second;
      StringRef Name = StringRef(Call.Group).rsplit(' ').second;
      error(Call.Loc,
            "the thread started here runs '" + F.displayName(Call.Callee) +
                "', which does not reach blocking I/O, but '" + Name.str() +
                "' also holds threads that run '" +
                F.displayName(Task.Callee) + "' (line " +
                std::to_string(Task.Loc.Line) +
                "), which does: one container cannot hold both threads and "
                "spawned tasks",
            Task.Callee);
    }
  }

  /// Every async function and every call that must change has to be
  /// rewritable as text.
  void checkRewritable() {
    for (const auto &[Id, St] : S.States) {
      const FunctionFact *Fn = function(Id);
      if (!St.Async || !Fn || Fn->IsCoroutine)
        continue;
      if (Fn->DeclaredOutside)
        error(Fn->Loc,
              "'" + Fn->Name + "' reaches blocking I/O but is also declared "
              "outside the paths being converted; add that file to the paths",
              Id);
      if (!Fn->OverridesOutside.empty())
        error(Fn->Loc,
              "'" + Fn->Name + "' reaches blocking I/O but overrides '" +
                  Fn->OverridesOutside +
                  "', which is declared outside the paths: a call through "
                  "it could not be awaited",
              Id);
      if (!Fn->Problem.empty())
        error(Fn->Loc,
              "'" + Fn->Name + "' cannot become a coroutine: " + Fn->Problem,
              Id);
      for (const DeclFact &D : Fn->Decls) {
        if (!D.Problem.empty())
          error(D.Loc,
                "'" + Fn->Name + "' cannot become a coroutine: " + D.Problem,
                Id);
        if (St.Facade && !D.FacadeProblem.empty())
          error(D.Loc,
                "'" + Fn->Name + "' cannot keep a blocking facade: " +
                    D.FacadeProblem,
                Id);
      }
      if (St.Facade && Fn->IsOperator)
        error(Fn->Loc,
              "operator '" + Fn->Name + "' reaches blocking I/O and is "
              "called from synchronous code; an operator cannot keep a "
              "blocking facade under another name",
              Id);
    }
    for (size_t I : S.BlockOnCalls)
      if (const CallFact &Call = F.Calls[I]; !Call.Problem.empty())
        error(Call.Loc,
              (Call.Kind == CallKind::Join
                   ? "this join of a thread that runs '" +
                         F.displayName(Call.Callee) + "'"
                   : "the call of the " + F.displayName(Call.Callee)) +
                  " from synchronous code cannot wait on it: " + Call.Problem,
              Call.Callee, Call.Caller);
    checkThreadContainers();
    for (const CallFact &Call : F.Calls) {
      if (Call.Kind == CallKind::Spawn) {
        if (S.isAsync(Call.Callee) && !Call.Problem.empty())
          error(Call.Loc,
                "the thread started here runs '" +
                    F.displayName(Call.Callee) +
                    "', which reaches blocking I/O, but it cannot become a "
                    "spawned task: " + Call.Problem,
                Call.Callee, Call.Caller);
        continue;
      }
      if (Call.Kind == CallKind::AddressTaken && !Call.CallbackType.empty()) {
        if (S.isAsync(Call.Callee) && !Call.Problem.empty())
          error(Call.Loc,
                "'" + F.displayName(Call.Callee) + "' is stored as '" +
                    F.displayName(Call.CallbackType) +
                    "' here, but the name cannot be renamed: " + Call.Problem,
                Call.Callee);
        const FunctionFact *Type = function(Call.CallbackType);
        if (S.isAsync(Call.Callee) && (!Type || !Type->Writable))
          error(Call.Loc,
                "'" + F.displayName(Call.Callee) + "' reaches blocking I/O "
                "and is stored as callback type '" +
                    F.displayName(Call.CallbackType) +
                    "', which is not declared under the paths; add the file "
                    "that declares it",
                Call.Callee);
        continue;
      }
      if (Call.Kind == CallKind::AddressTaken && S.isAsync(Call.Callee) &&
          isCallbackId(Call.Callee)) {
        error(Call.Loc,
              "this value of callback type '" + F.displayName(Call.Callee) +
                  "' is passed on where its calls would not be awaited (a "
                  "thread, an algorithm, another function type); only calls "
                  "through the callback type can be awaited",
              Call.Callee);
        continue;
      }
      if (Call.Kind == CallKind::AddressTaken && S.isAsync(Call.Callee)) {
        const FunctionFact *Callee = function(Call.Callee);
        // Why the tool could not see where it goes (a template), if known.
        std::string Why = Call.Problem.empty() ? "" : " (" + Call.Problem + ")";
        if (Callee && !Callee->IsLambda &&
            StringRef(Callee->Name).ends_with("::operator()"))
          error(Call.Loc,
                "an object of '" +
                    StringRef(Callee->Name).drop_back(12).str() +
                    "' is passed on here, but its operator() reaches "
                    "blocking I/O: " + Call.Problem,
                Call.Callee);
        else if (Callee && Callee->IsLambda)
          error(Call.Loc,
                "the " + Callee->Name + " reaches blocking I/O, but its "
                "closure is stored or passed on here: a call through it "
                "could not be awaited" + Why,
                Call.Callee);
        else
          error(Call.Loc,
                "the address of '" + F.displayName(Call.Callee) +
                    "' is taken here, but it reaches blocking I/O: a call "
                    "through the pointer could not be awaited" + Why,
                Call.Callee);
        continue;
      }
      lockAcrossAwait(Call);
      if (Call.Awaited || Call.BlockedOn || !S.isAsync(Call.Caller))
        continue;
      const FunctionFact *Caller = function(Call.Caller);
      if (!Caller || Caller->IsCoroutine)
        continue;
      bool Reaches = isLeafId(Call.Callee) || S.isAsync(Call.Callee);
      if (!Reaches)
        continue;
      std::string Callee = F.displayName(Call.Callee);
      if (Call.Kind == CallKind::Implicit)
        error(Call.Loc,
              "implicit call of '" + Callee + "' reaches blocking I/O; "
              "only a call written in the source can be awaited",
              Call.Callee, Call.Caller);
      else if (!Call.Problem.empty() && Call.Kind == CallKind::Join)
        error(Call.Loc,
              "this join of a thread that runs '" + Callee +
                  "' cannot be awaited: " + Call.Problem,
              Call.Callee, Call.Caller);
      else if (!Call.Problem.empty())
        error(Call.Loc,
              "call of '" + Callee + "' cannot be awaited: " + Call.Problem,
              Call.Callee, Call.Caller);
    }
  }

  const Facts &F;
  const Config &C;
  Solution S;
  std::map<std::string, std::vector<size_t>> CallsOf;
  /// Direct override edges, both ways.
  std::map<std::string, std::vector<std::string>> FamilyOf;
  /// Callback types and the functions stored as them, both ways.
  std::map<std::string, std::vector<std::string>> CallbackOf;
  std::deque<std::string> Work;
  std::vector<size_t> SyncCalls;
};

} // namespace

Solution solve(const Facts &F, const Config &C) { return Solver(F, C).run(); }

} // namespace vinyl
