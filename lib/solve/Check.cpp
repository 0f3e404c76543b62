//===- Check.cpp - What --check reports, from facts and the solution ------===//
//
// The CI gate's findings besides the solver's refusals: functions still to
// convert, tasks never awaited, and blocking calls, waits and joins inside
// coroutines, each with the chain that explains it.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/solve/Check.h"

#include "vinyl-asyncify/facts/Format.h"

#include "llvm/ADT/StringRef.h"

using namespace llvm;

namespace vinyl {

namespace {

class Checker {
public:
  Checker(const Facts &F, const Solution &S, const Config &C)
      : F(F), S(S), C(C) {}

  std::vector<Diagnostic> run() {
    // A refused function is reported as such, not as one to convert.
    for (const auto &[Id, St] : S.States)
      if (const FunctionFact *Fn = function(Id);
          Fn && St.Async && !Fn->IsCoroutine && !S.Refused.count(Id))
        needsAsync(*Fn);
    for (const Finding &Found : F.Findings)
      add(Found.Loc, Found.Check, Found.Message);
    for (const CallFact &Call : F.Calls) {
      if (Call.Kind == CallKind::Spawn && S.isAsync(Call.Callee) &&
          Call.Problem.empty())
        add(Call.Loc, "vinyl-thread-needs-spawn",
            fmt::format("the thread started here runs '{}', which reaches "
                        "blocking I/O; converting makes it {}(...)",
                        F.Functions.at(Call.Callee).Name, Call.SpawnWith))
            .Notes = explainChain(F, S, Call.Callee);
      addressOfFacade(Call);
      const FunctionFact *Caller = function(Call.Caller);
      if (!Caller || !Caller->IsCoroutine || !Call.Problem.empty() ||
          Call.Awaited || Call.Kind == CallKind::Spawn)
        continue;
      blockingInCoroutine(Call, *Caller);
    }
    sortDiagnostics(Out);
    return std::move(Out);
  }

private:
  const FunctionFact *function(const std::string &Id) const {
    auto It = F.Functions.find(Id);
    return It == F.Functions.end() ? nullptr : &It->second;
  }

  Diagnostic &add(const Location &Loc, StringRef Check, std::string Message) {
    Diagnostic &D = Out.emplace_back();
    D.Loc = Loc;
    D.Check = Check.str();
    D.Message = std::move(Message);
    return D;
  }

  void needsAsync(const FunctionFact &Fn) {
    if (Fn.IsCallbackType) {
      add(Fn.Loc, "vinyl-needs-async",
          fmt::format("callback type '{}' holds functions that reach "
                      "blocking I/O; converting makes its result a task",
                      Fn.Name))
          .Notes = explainChain(F, S, Fn.Id);
      return;
    }
    std::string What = Fn.IsLambda ? fmt::format("the {}", Fn.Name)
                                   : fmt::format("'{}'", Fn.Name);
    std::string Becomes =
        Fn.IsMain ? fmt::format("converting moves its body to the coroutine "
                                "'{}', which it waits for",
                                C.asyncName("main"))
                  : std::string("converting makes it one");
    Diagnostic &D = add(Fn.definitionLoc(), "vinyl-needs-async",
                        fmt::format("{} reaches blocking I/O but is not a "
                                    "coroutine; {}",
                                    What, Becomes));
    D.Notes = explainChain(F, S, Fn.Id);
  }

  void blockingInCoroutine(const CallFact &Call, const FunctionFact &Caller) {
    StringRef Callee = Call.Callee;
    if (!Call.Twin.empty()) {
      facadeInCoroutine(Call, Callee.drop_front(5), Caller, Call.Twin);
      return;
    }
    if (Callee.consume_front("leaf:")) {
      const LeafRule *Leaf = C.findLeaf(Callee);
      std::string Use =
          !Leaf ? Callee.str() + "(...)"
          : Leaf->Offload
              ? (OffloadOpen + Callee + "(...)" + OffloadClose).str()
              : Leaf->Replacement + "(...)";
      add(Call.Loc, "vinyl-blocking-call-in-coroutine",
          fmt::format("blocking call of '{}' inside coroutine '{}'; use "
                      "'co_await {}'",
                      Callee, Caller.Name, Use));
      return;
    }
    if (Call.Kind == CallKind::Join) {
      if (S.isAsync(Call.Callee))
        add(Call.Loc, "vinyl-blocking-wait-in-coroutine",
            fmt::format("joining a thread that runs '{}' blocks the thread "
                        "inside coroutine '{}'; converting spawns it as a "
                        "task and awaits the join",
                        F.displayName(Call.Callee), Caller.Name));
      return;
    }
    if (Call.Kind == CallKind::BlockingWait) {
      add(Call.Loc, "vinyl-blocking-wait-in-coroutine",
          fmt::format("'{}' blocks the thread inside coroutine '{}'; "
                      "co_await the task instead",
                      Callee.drop_front(5), Caller.Name));
      return;
    }
    auto Twin = S.FacadeTwins.find(Call.Callee);
    if (Twin == S.FacadeTwins.end() || Call.Kind == CallKind::AddressTaken)
      return;
    const FunctionFact *Facade = function(Call.Callee);
    const FunctionFact *Async = function(Twin->second);
    facadeInCoroutine(Call, Facade->Name, Caller, Async->Name);
  }

  /// The address of a facade an earlier run wrote, kept by a pointer or a
  /// std::function (what the conversion warned about before): calls
  /// through it still wait in place, so the gate still says so.
  void addressOfFacade(const CallFact &Call) {
    if (Call.Kind != CallKind::AddressTaken || !Call.CallbackType.empty())
      return;
    auto Twin = S.FacadeTwins.find(Call.Callee);
    if (Twin == S.FacadeTwins.end())
      return;
    Diagnostic &D =
        add(Call.Loc, "vinyl-blocking-fallback",
            fmt::format(
                "the address of '{}', a blocking facade over '{}', is "
                "taken here: calls through the pointer wait for its I/O, "
                "which in async mode waits in a nested run of the event loop",
                F.displayName(Call.Callee), F.displayName(Twin->second)));
    D.Severity = Diagnostic::Warning;
  }

  /// A facade (of the paths, or of a converted library outside them)
  /// called where its coroutine could be awaited.
  void facadeInCoroutine(const CallFact &Call, StringRef Facade,
                         const FunctionFact &Caller, StringRef Async) {
    add(Call.Loc, "vinyl-blocking-wait-in-coroutine",
        fmt::format("'{}' is a blocking facade, called inside coroutine "
                    "'{}'; co_await '{}' instead",
                    Facade, Caller.Name, Async));
  }

  const Facts &F;
  const Solution &S;
  const Config &C;
  std::vector<Diagnostic> Out;
};

} // namespace

std::vector<Diagnostic> checkFixpoint(const Facts &F, const Solution &S,
                                      const Config &C) {
  return Checker(F, S, C).run();
}

} // namespace vinyl
