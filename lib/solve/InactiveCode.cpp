//===- InactiveCode.cpp - Converted functions with code nobody saw --------===//
//
// An inactive #if branch in a function that becomes a coroutine is left as
// written: its `return ::recv(...)` will not compile (or will block) once
// a build enables the branch. The tool cannot convert what the compile
// database never parses, so it says where, and what to do about it.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

namespace vinyl::solver {

void warnInactiveCode(SolverState &St) {
  for (const auto &[Id, Fn] : St.F.Functions) {
    if (!Fn.InactiveCode.valid() || !St.S.isAsync(Id) || Fn.IsCoroutine ||
        St.S.Refused.count(Id))
      continue;
    Diagnostic D;
    D.Loc = Fn.InactiveCode;
    D.Check = "vinyl-inactive-code";
    D.Severity = Diagnostic::Warning;
    D.Message = fmt::format(
        "'{}' becomes a coroutine, but this inactive preprocessor branch "
        "of it is left as written: where a build enables it, its calls are "
        "not awaited and its returns are not co_return; convert with a "
        "compile database that enables it",
        St.F.displayName(Id));
    D.Notes.push_back({Fn.definitionLoc(), "the function is defined here"});
    St.S.Diags.push_back(std::move(D));
  }
}

} // namespace vinyl::solver
