//===- SolverState.h - What the solver's rules share ------------*- C++ -*-===//
//
// The solver is a colouring (Solve.cpp) followed by rules, one concern per
// file, that each read the facts and the colours and add to the solution:
// which functions keep a facade (Facades.cpp), what cannot be rewritten
// (Refusals.cpp), containers that would hold threads and tasks at once
// (ThreadContainers.cpp), mutexes held and condition variables waited on
// across an await (LocksAcrossAwait.cpp), a `main` that cannot become
// `main_async` (Main.cpp). This is the state they share.
//
// Private to lib/solve/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_SOLVE_SOLVERSTATE_H
#define VINYL_ASYNCIFY_LIB_SOLVE_SOLVERSTATE_H

#include "vinyl-asyncify/solve/Solve.h"

#include "llvm/ADT/StringRef.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vinyl::solver {

struct SolverState {
  SolverState(const Facts &F, const Config &C) : F(F), C(C) {}

  const Facts &F;
  const Config &C;
  Solution S;
  /// Calls (indices into F.Calls) by callee.
  std::map<std::string, std::vector<size_t>> CallsOf;
  /// Functions that share a colour (overrides, callees of one template
  /// call), both ways.
  std::map<std::string, std::vector<std::string>> FamilyOf;
  /// Callback types and the functions stored as them, both ways.
  std::map<std::string, std::vector<std::string>> CallbackOf;
  /// Function templates that have explicit specialisations.
  std::set<std::string> Specialized;
  /// Automatic callback families of types written inline.
  std::vector<std::string> InlineFamilies;
  /// Calls from code that stays synchronous of functions that became
  /// async: each needs a facade or a wait in place.
  std::vector<size_t> SyncCalls;
  /// Lambdas and call operators handed to code that calls them without
  /// awaiting (their closure or object is passed on): they stay
  /// synchronous. The call (an AddressTaken fact) that hands each on.
  std::map<std::string, size_t> HandedOn;
  /// Members of an override family that code outside the paths also
  /// overrides (a test's mock): the outside override, which cannot change,
  /// so the family keeps its old signature and stays synchronous.
  std::map<std::string, std::string> OverriddenOutside;
  /// Functions a call cannot await, however they are called: an operator
  /// synchronous code calls (it cannot keep a facade under its name), a
  /// function a range-for calls for its iteration, a `main` whose
  /// coroutine cannot be written (Main.cpp). They stay synchronous;
  /// the call (index into F.Calls) that pins each.
  std::map<std::string, size_t> Pinned;
  /// Functions that stay synchronous by their calls, but take a mutex or
  /// wait on a condition variable that becomes a vinyl one, and that a
  /// coroutine calls: they become coroutines, each for the use (index
  /// into F.SyncUses) that waits.
  std::map<std::string, size_t> SyncRoots;
  /// The synchronous functions coroutines call, once the colours stand
  /// (LocksAcrossAwait.cpp).
  std::set<std::string> Reached;
  bool ReachedComputed = false;
  /// Pinned for its declaration (its `auto` type is not known), not a call.
  static constexpr size_t NoPinningCall = static_cast<size_t>(-1);

  /// Why \p Fn cannot be a coroutine ("constructor", "function object"),
  /// or "".
  std::string whyNotCoroutine(const FunctionFact &Fn) const;
  /// Whether such a function may stay synchronous, calling blocking
  /// facades (a constructor may; a constexpr function, which must stay
  /// constant, may not).
  bool canFallBack(const FunctionFact &Fn) const;

  const FunctionFact *function(const std::string &Id) const {
    auto It = F.Functions.find(Id);
    return It == F.Functions.end() ? nullptr : &It->second;
  }

  /// "constructor 'f' reaches blocking I/O but cannot become a coroutine".
  Diagnostic cannotConvert(const FunctionFact &Fn, llvm::StringRef What) const;
  /// Appends the chain that made \p Id async, unless it is a leaf.
  void explainInto(Diagnostic &D, const std::string &Id) const;
  /// An error explained by the chain of \p Id; \p Culprit (default: \p Id)
  /// is the function the error keeps from being converted.
  void error(const Location &Loc, std::string Message, const std::string &Id,
             const std::string &Culprit = "");
  /// A [vinyl-blocking-fallback] diagnostic about \p Id, without notes: a
  /// warning, or under `blocking_fallback: error` (unless \p AllowedAnyway)
  /// an error that refuses \p Id. The caller adds the notes and stores it.
  Diagnostic fallback(const Location &Loc, std::string Message,
                      const std::string &Id, bool AllowedAnyway = false);
};

/// Whether \p F is a call operator of a class (not a lambda's).
bool isFunctionObject(const FunctionFact &F);

/// The async functions that no call may await after all (see
/// SolverState::Pinned), with the call that pins each; empty when the
/// colours stand.
std::map<std::string, size_t> functionsToPin(const SolverState &St);

/// Whether `main` \p Main, async, cannot become `main_async` under its
/// facade (Main.cpp): the call that cannot be awaited, or NoPinningCall
/// for its text (a function-try-block, a `main_async` declared already).
/// Reads the colours: ask once they stand.
std::optional<size_t> mainPin(const SolverState &St, const FunctionFact &Main);
/// The note that says why, for the \p Pin mainPin gave.
Note whyMainStaysSync(const SolverState &St, const FunctionFact &Main,
                      size_t Pin);

/// "'f' calls 'g' here", or for a join, "'f' joins a thread that runs 'g'".
Note callNote(const Facts &F, const std::string &Caller, const CallFact &C);
/// Why \p Id is async because \p Via is: one family.
std::string familyNote(const Facts &F, const std::string &Id,
                       const std::string &Via);

/// \name The rules, in the order the solver applies them
/// @{
void decideFacades(SolverState &St);
void findFacadeTwins(SolverState &St);
/// Everything async must be rewritable as text, and no async callable may
/// escape; runs checkThreadContainers and lockAcrossAwait on the way.
void checkRewritable(SolverState &St);
void checkThreadContainers(SolverState &St);
/// Warns about inactive #if branches in functions that become coroutines.
void warnInactiveCode(SolverState &St);
/// Decides which mutexes and condition variables become vinyl ones
/// (LocksAcrossAwait.cpp), before the lock warnings read it.
void decideSyncObjects(SolverState &St);
/// The synchronous functions a coroutine calls (directly or through other
/// synchronous ones) that would wait on a vinyl object: new SyncRoots.
std::map<std::string, size_t> syncRootsToAdd(SolverState &St);
void lockAcrossAwait(SolverState &St, const CallFact &Call);
/// Warns about a std::condition_variable waited on in a coroutine.
void waitsInCoroutines(SolverState &St);
/// Decides which async functions keep a synchronous twin (Twins.cpp).
void chooseTwins(SolverState &St);
/// Decides which async functions are split at a cold guard (FastPaths.cpp).
void chooseFastPaths(SolverState &St);
/// @}

/// Why \p Fn, as declared, cannot get a second overload that copies it
/// with a tag parameter first (a twin, a split's coroutine half), or "".
std::string whyNoTaggedCopy(const SolverState &St, const FunctionFact &Fn);
/// Whether \p Inner is defined inside the body of \p Outer.
bool definedInside(const FunctionFact &Inner, const FunctionFact &Outer);
/// @{
/// @}

} // namespace vinyl::solver

#endif
