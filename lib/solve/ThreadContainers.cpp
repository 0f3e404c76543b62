//===- ThreadContainers.cpp - One container, threads or tasks -------------===//
//
// A container holds threads or handles, not both: the threads kept in one
// become tasks together or not at all (extraction groups them by the
// container's declaration), so a container some of whose threads reach
// I/O and some do not is refused at the thread that does not.
//
//===----------------------------------------------------------------------===//
#include "SolverState.h"

#include "vinyl-asyncify/facts/Format.h"

#include "llvm/ADT/StringMap.h"

using namespace llvm;

namespace vinyl::solver {

void checkThreadContainers(SolverState &St) {
  const Facts &F = St.F;
  const Solution &S = St.S;
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
    St.error(Call.Loc,
             fmt::format("the thread started here runs '{}', which does not "
                         "reach blocking I/O, but '{}' also holds threads "
                         "that run '{}' (line {}), which does: one container "
                         "cannot hold both threads and spawned tasks",
                         F.displayName(Call.Callee), Name,
                         F.displayName(Task.Callee), Task.Loc.Line),
             Task.Callee);
  }
}

} // namespace vinyl::solver
