//===- Solve.h - Whole-program colouring from the I/O leaves up -*- C++ -*-===//
#ifndef VINYL_ASYNCIFY_SOLVE_SOLVE_H
#define VINYL_ASYNCIFY_SOLVE_SOLVE_H

#include "vinyl-asyncify/config/Config.h"
#include "vinyl-asyncify/facts/Diagnostics.h"
#include "vinyl-asyncify/facts/Facts.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace vinyl {

struct FunctionState {
  bool Async = false;
  /// Keeps its name and signature as a blocking facade over the coroutine.
  bool Facade = false;
  /// The call that made it async (an index into Facts::Calls), or -1 when
  /// it already was a coroutine or joined an override family.
  int Reason = -1;
  /// The member of its override family that made it async, if that is why.
  std::string Family;
  /// The use (an index into Facts::SyncUses) that made it async: it takes
  /// a vinyl::mutex or waits on a vinyl::condition_variable there, and a
  /// coroutine calls it.
  int SyncUse = -1;
};

struct Solution {
  std::map<std::string, FunctionState> States;
  std::vector<Diagnostic> Diags;
  /// Calls (indices into Facts::Calls) from synchronous code that wait on
  /// the coroutine in place, `block_on(g())`, because the callee cannot keep
  /// a facade under its name (a lambda).
  std::set<size_t> BlockOnCalls;
  /// Leaf calls in functions that stay synchronous (a constructor): the
  /// leaf's awaitable is waited on in place, `block_on(repl(args))`, so
  /// that on a thread running a loop the loop serves its other tasks
  /// meanwhile.
  std::set<size_t> LeafWaits;
  /// Facades found in the code (from an earlier run): facade id -> the id
  /// of the coroutine it blocks on.
  std::map<std::string, std::string> FacadeTwins;
  /// std::mutex and std::condition_variable objects (SyncObjectFact ids)
  /// that become vinyl ones, and those that keep their std type though a
  /// coroutine holds or waits on them, each with the object whose Problem
  /// keeps it.
  std::set<std::string> SyncConverted;
  std::map<std::string, std::string> SyncKept;
  /// Functions an error keeps from being converted.
  std::set<std::string> Refused;
  /// Async functions that also keep a synchronous twin (`facades: twins`),
  /// and for those left without one, why (for --explain).
  std::set<std::string> Twins;
  std::map<std::string, std::string> NoTwin;
  /// Async functions split at a cold guard (`fast_paths`) into a plain
  /// half returning vinyl::fast_task and a coroutine half, and for those
  /// left whole, why (for --explain).
  std::set<std::string> FastPaths;
  std::map<std::string, std::string> NoFastPath;
  /// Those of FastPaths split with no guard, as callers of functions split
  /// at one: the calls (indices into Facts::Calls, in the order of the
  /// text) at whose statements the plain half hands over (ResumePoint).
  std::map<std::string, std::vector<size_t>> Resumes;

  bool isAsync(const std::string &Id) const;
  bool hasFacade(const std::string &Id) const;
  bool hasErrors() const;
};

/// What a synchronous twin makes of a call its body copies.
enum class TwinCall {
  AsWritten, ///< The same call: a leaf, a facade, a synchronous function.
  Twin,      ///< The callee's twin: `g(vinyl::twin, a)`.
  Wait,      ///< The coroutine, waited on in place: `block_on(g(a))`.
};
/// \p Call, in the body of a function that has a twin.
TwinCall twinCall(const Facts &F, const Solution &S, const CallFact &Call);

/// Keeps each automatic callback family (FunctionFact::AutoCallbackType)
/// only where converting it cannot break code the tool does not rewrite;
/// the others are dissolved, as if they had not been seen. Run once on the
/// merged facts, before solve().
void settleAutomaticFamilies(Facts &F, const Config &C);

/// Colours every function that reaches a leaf, decides the facades, and
/// reports what cannot be converted, each with the chain down to a leaf.
Solution solve(const Facts &F, const Config &C);

/// Why \p Id shares \p Via's colour (FunctionState::Family).
enum class FamilyKind {
  Override,     ///< One overrides the other.
  CallbackType, ///< One is a callback type the other is stored as.
  TemplateCall, ///< One call of a template's text resolves to both.
  Specialization, ///< One is an explicit specialisation of the other.
};
FamilyKind familyKind(const Facts &F, const std::string &Id,
                      const std::string &Via);

/// "is in the override family of 'g'", "is stored as callback type 'H'",
/// "holds 'f'" (for a callback type), "is called by the same template code
/// as 'g', in another instantiation"; \p Quote false leaves out the quotes
/// (the --explain tree).
std::string familyLink(const Facts &F, const std::string &Id,
                       const std::string &Via, bool Quote = true);

/// The chain that made \p Id async, one note per call down to the leaf.
std::vector<Note> explainChain(const Facts &F, const Solution &S,
                               const std::string &Id);

} // namespace vinyl

#endif
