//===- LocksAcrossAwait.cpp - Mutexes and condition variables on the loop -===//
//
// On the event loop another task that takes a std::mutex held across a
// suspension blocks the loop's thread, and the holder never gets back to
// release it; a task waiting on a std::condition_variable blocks it too.
// Such objects (and the timed and shared mutexes, and
// std::condition_variable_any) become vinyl::mutex /
// vinyl::condition_variable, which suspend the task instead (blocking mode
// keeps the std behaviour), with every use rewritten (extract/SyncFacet.cpp
// records the edits). A mutex and the condition variables that wait with it
// change together, since a std::condition_variable takes only a
// std::unique_lock<std::mutex>; one of them that the rewrite cannot follow
// keeps them all std, with a warning that says why. A recursive mutex has
// no vinyl equivalent: held across an await, it does not even exclude the
// other tasks of its thread, which the warning says.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

namespace vinyl::solver {

namespace {

/// Whether \p Call is (or becomes) a co_await.
bool awaited(const SolverState &St, const CallFact &Call) {
  if (Call.BlockedOn || !Call.Problem.empty() ||
      Call.Kind == CallKind::AddressTaken || Call.Kind == CallKind::Spawn ||
      Call.Kind == CallKind::Implicit)
    return false;
  const FunctionFact *Caller = St.function(Call.Caller);
  return (Call.Awaited && Caller && Caller->IsCoroutine) ||
         (St.S.isAsync(Call.Caller) &&
          (isLeafId(Call.Callee) || St.S.isAsync(Call.Callee)));
}

/// Objects that change together, as a union-find over their ids.
class Together {
public:
  const std::string &leader(const std::string &Id) {
    auto [It, New] = Parent.try_emplace(Id, Id);
    if (It->second == Id)
      return It->first;
    const std::string &Root = leader(It->second);
    It->second = Root;
    return Root;
  }
  void join(const std::string &A, const std::string &B) {
    const std::string &RA = leader(A), &RB = leader(B);
    if (RA != RB)
      Parent[RA] = RB;
  }
  std::vector<std::string> members(const std::string &Id) {
    std::string Root = leader(Id);
    std::vector<std::string> Out;
    for (const auto &[M, P] : Parent)
      if (leader(M) == Root)
        Out.push_back(M);
    return Out;
  }

private:
  std::map<std::string, std::string> Parent;
};

bool inCoroutine(const SolverState &St, const std::string &Fn) {
  const FunctionFact *F = St.function(Fn);
  return St.S.isAsync(Fn) || (F && F->IsCoroutine);
}

/// Whether \p Fn could become a coroutine if it waited.
bool mayBecomeCoroutine(const SolverState &St, const std::string &Fn) {
  const FunctionFact *F = St.function(Fn);
  return F && F->Writable && F->HasDefinition && !F->IsMain &&
         !F->IsCoroutine && St.whyNotCoroutine(*F).empty();
}

/// The synchronous functions of the paths that coroutines call, directly
/// or through others: where they wait, the coroutine's loop waits.
const std::set<std::string> &reachedFromCoroutines(SolverState &St) {
  if (St.ReachedComputed)
    return St.Reached;
  St.ReachedComputed = true;
  std::map<std::string, std::vector<std::string>> Callees;
  for (const CallFact &Call : St.F.Calls)
    if (!Call.BlockedOn && Call.Kind != CallKind::AddressTaken &&
        Call.Kind != CallKind::Spawn && !isLeafId(Call.Callee))
      Callees[Call.Caller].push_back(Call.Callee);
  std::vector<std::string> Work;
  for (const auto &[Id, State] : St.S.States)
    if (State.Async)
      Work.push_back(Id);
  for (const auto &[Id, Fn] : St.F.Functions)
    if (Fn.IsCoroutine)
      Work.push_back(Id);
  while (!Work.empty()) {
    std::string Id = Work.back();
    Work.pop_back();
    for (const std::string &Callee : Callees[Id])
      if (!inCoroutine(St, Callee) && mayBecomeCoroutine(St, Callee) &&
          St.Reached.insert(Callee).second)
        Work.push_back(Callee);
  }
  return St.Reached;
}

} // namespace

std::map<std::string, size_t> syncRootsToAdd(SolverState &St) {
  decideSyncObjects(St);
  std::map<std::string, size_t> Out;
  const std::set<std::string> &Reached = reachedFromCoroutines(St);
  for (size_t I = 0; I < St.F.SyncUses.size(); ++I) {
    const SyncUseFact &U = St.F.SyncUses[I];
    if (U.AsyncAwaits && St.S.SyncConverted.count(U.Object) &&
        Reached.count(U.Caller) && !St.SyncRoots.count(U.Caller))
      Out.emplace(U.Caller, I);
  }
  return Out;
}

void decideSyncObjects(SolverState &St) {
  const Facts &F = St.F;
  // Objects that change together: a condition variable and the mutex of
  // its waits; objects one declaration writes the type of.
  Together Groups;
  std::map<Anchor, std::string> ByType;
  for (const auto &[Id, O] : F.SyncObjects) {
    Groups.leader(Id);
    if (!O.Type.File.empty())
      if (auto [It, New] = ByType.try_emplace(O.Type, Id); !New)
        Groups.join(Id, It->second);
  }
  for (const SyncUseFact &U : F.SyncUses)
    if (U.IsWait && !U.Mutex.empty())
      Groups.join(U.Object, U.Mutex);
  // Wanted: a mutex held across an await, a condition variable waited on
  // in a coroutine (whose lock is unknown, it cannot change).
  std::set<std::string> Wanted;
  for (const CallFact &Call : F.Calls)
    if (!Call.HeldMutexes.empty() && awaited(St, Call))
      Wanted.insert(Call.HeldMutexes.begin(), Call.HeldMutexes.end());
  std::set<std::string> Unknown;
  const std::set<std::string> &Reached = reachedFromCoroutines(St);
  for (const SyncUseFact &U : F.SyncUses)
    if (U.IsWait && (inCoroutine(St, U.Caller) || Reached.count(U.Caller))) {
      Wanted.insert(U.Object);
      if (U.Mutex.empty())
        Unknown.insert(U.Object);
    }
  for (const std::string &Id : Wanted) {
    if (St.S.SyncConverted.count(Id) || St.S.SyncKept.count(Id))
      continue;
    std::vector<std::string> Members = Groups.members(Id);
    const SyncObjectFact *Culprit = nullptr;
    for (const std::string &M : Members) {
      auto It = F.SyncObjects.find(M);
      if (It != F.SyncObjects.end() && !It->second.Problem.empty()) {
        Culprit = &It->second;
        break;
      }
    }
    if (!Culprit && Unknown.count(Id))
      Culprit = &F.SyncObjects.at(Id);
    for (const std::string &M : Members)
      if (Culprit)
        St.S.SyncKept[M] = Culprit->Id;
      else
        St.S.SyncConverted.insert(M);
  }
}

/// A [vinyl-lock-across-await] warning at \p Loc.
static Diagnostic lockWarning(const Location &Loc, std::string Message) {
  Diagnostic D;
  D.Severity = Diagnostic::Warning;
  D.Loc = Loc;
  D.Check = "vinyl-lock-across-await";
  D.Message = std::move(Message);
  return D;
}

/// Why \p Id keeps its std type, as a note.
static void keptNote(const SolverState &St, Diagnostic &D,
                     const std::string &Id) {
  auto Kept = St.S.SyncKept.find(Id);
  if (Kept == St.S.SyncKept.end())
    return;
  const SyncObjectFact &Culprit = St.F.SyncObjects.at(Kept->second);
  std::string Problem = Culprit.Problem.empty()
                            ? std::string("it waits with a lock the rewrite "
                                          "does not follow")
                            : Culprit.Problem;
  D.Notes.push_back(
      {Culprit.ProblemLoc.File.empty() ? Culprit.Loc : Culprit.ProblemLoc,
       fmt::format("'{}' cannot become a vinyl::{}: {}", Culprit.Name,
                   Culprit.IsCondition ? "condition_variable" : "mutex",
                   Problem)});
}

void lockAcrossAwait(SolverState &St, const CallFact &Call) {
  const Solution &S = St.S;
  if (Call.HeldLock.empty() || !awaited(St, Call))
    return;
  // A vinyl::mutex is made to be held across an await.
  if (!Call.HeldMutexes.empty() &&
      llvm::all_of(Call.HeldMutexes, [&](const std::string &M) {
        return S.SyncConverted.count(M);
      }))
    return;
  // A thread owns a recursive mutex: the other tasks of its loop take it
  // too, rather than wait.
  const SyncObjectFact *Recursive = nullptr;
  for (const std::string &M : Call.HeldMutexes)
    if (auto It = St.F.SyncObjects.find(M);
        It != St.F.SyncObjects.end() &&
        llvm::StringRef(It->second.StdType).starts_with("std::recursive_"))
      Recursive = &It->second;
  std::string Harm =
      Recursive
          ? fmt::format("on the event loop another task of this thread that "
                        "locks the {} '{}' gets it too, since the thread owns "
                        "it",
                        Recursive->StdType, Recursive->Name)
          : std::string("on the event loop another task that takes the same "
                        "mutex blocks the thread");
  Diagnostic D = lockWarning(
      Call.Loc, fmt::format("the lock {} is held across this call, which is "
                            "a co_await: {}; release the lock before the call",
                            Call.HeldLock, Harm));
  for (const std::string &M : Call.HeldMutexes)
    keptNote(St, D, M);
  for (Note &N : explainChain(St.F, S, Call.Callee))
    D.Notes.push_back(std::move(N));
  St.S.Diags.push_back(std::move(D));
}

void waitsInCoroutines(SolverState &St) {
  for (const SyncUseFact &U : St.F.SyncUses) {
    if (!U.IsWait || !inCoroutine(St, U.Caller) ||
        St.S.SyncConverted.count(U.Object))
      continue;
    const SyncObjectFact &O = St.F.SyncObjects.at(U.Object);
    Diagnostic D = lockWarning(
        U.Loc,
        fmt::format("waiting on the {} '{}' in the coroutine '{}' "
                    "blocks the thread: on the event loop no other "
                    "task runs until it is notified",
                    O.StdType.empty() ? "std::condition_variable" : O.StdType,
                    O.Name, St.F.displayName(U.Caller)));
    keptNote(St, D, U.Object);
    St.S.Diags.push_back(std::move(D));
  }
}

} // namespace vinyl::solver
