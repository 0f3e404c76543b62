//===- Main.cpp - When `main` cannot become `main_async` ------------------===//
//
// A `main` that reaches I/O is coloured like any function: its body becomes
// the coroutine `main_async` and `main` its blocking facade
// (`return vinyl::block_on(main_async(argc, argv));`), so in async mode
// the whole program runs on one event loop. Where that coroutine cannot be
// written, `main` is pinned synchronous instead (the colouring is made
// again without it) and falls back with a [vinyl-blocking-fallback]
// warning, as any function that cannot be a coroutine: nothing calls
// `main`, so keeping it synchronous costs the conversion nothing, where a
// refusal would stop it. This file says when, and why.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

using namespace llvm;

namespace vinyl::solver {
namespace {

/// What \p Main's own text says against a coroutine, colours aside: a body
/// that cannot be rewritten (a function-try-block), a declaration that
/// cannot, a facade that cannot forward, or a `main_async` the program
/// declares already.
std::optional<Note> textProblem(const SolverState &St,
                                const FunctionFact &Main) {
  if (!Main.Problem.empty())
    return Note{Main.definitionLoc(), Main.Problem};
  for (const DeclFact &D : Main.Decls) {
    if (!D.Problem.empty())
      return Note{D.Loc, D.Problem};
    if (!D.FacadeProblem.empty())
      return Note{D.Loc, "its facade cannot forward to the coroutine: " +
                             D.FacadeProblem};
  }
  // A function of that name would clash with the coroutine (an overload
  // at best, a redefinition at worst): the user's name wins.
  std::string Name = St.C.asyncName("main");
  for (const auto &[Id, Fn] : St.F.Functions)
    if (Fn.Name == Name && Id != Main.Id)
      return Note{Fn.Loc,
                  fmt::format("the program declares '{}' already, the name "
                              "its coroutine would take; rename that one "
                              "to let main run on the event loop",
                              Name)};
  return std::nullopt;
}

/// Whether call \p Call of \p Main reaches I/O but cannot be awaited where
/// it is written (what Refusals.cpp refuses in another function).
bool unawaitable(const SolverState &St, const CallFact &Call) {
  if (Call.Awaited || Call.BlockedOn || Call.Kind == CallKind::AddressTaken ||
      Call.Kind == CallKind::Spawn)
    return false;
  bool Reaches = isLeafId(Call.Callee) || St.S.isAsync(Call.Callee) ||
                 St.S.FacadeTwins.count(Call.Callee);
  return Reaches && (Call.Kind == CallKind::Implicit || !Call.Problem.empty());
}

} // namespace

std::optional<size_t> mainPin(const SolverState &St, const FunctionFact &Main) {
  if (textProblem(St, Main))
    return SolverState::NoPinningCall;
  for (size_t I = 0; I < St.F.Calls.size(); ++I)
    if (St.F.Calls[I].Caller == Main.Id && unawaitable(St, St.F.Calls[I]))
      return I;
  return std::nullopt;
}

Note whyMainStaysSync(const SolverState &St, const FunctionFact &Main,
                      size_t Pin) {
  if (Pin != SolverState::NoPinningCall) {
    const CallFact &Call = St.F.Calls[Pin];
    std::string Callee = St.F.displayName(Call.Callee);
    return {Call.Loc,
            Call.Kind == CallKind::Implicit
                ? fmt::format("the implicit call of '{}' here cannot be "
                              "awaited; only a call written in the source "
                              "can be",
                              Callee)
                : fmt::format("the call of '{}' here cannot be awaited: {}",
                              Callee, Call.Problem)};
  }
  if (std::optional<Note> Why = textProblem(St, Main))
    return *Why;
  return {Main.definitionLoc(), "it cannot become a coroutine"};
}

} // namespace vinyl::solver
