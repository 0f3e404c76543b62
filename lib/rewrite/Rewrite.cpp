//===- Rewrite.cpp - From colours and anchors to edits --------------------===//
//
// No parsing here: every edit goes to an anchor extraction recorded. Several
// edits may start at one offset (`co_await ` before a call whose callee is
// also renamed, nested calls `(co_await (co_await f()).g())`), so edits are
// first gathered per file, ordered outermost-first, and folded into
// non-overlapping replacements.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/rewrite/Rewrite.h"

#include "CallbackTasks.h"
#include "EvaluationOrder.h"
#include "FastPaths.h"
#include "Lower.h"
#include "Includes.h"
#include "Twins.h"
#include "vinyl-asyncify/facts/Format.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

using namespace llvm;
using clang::tooling::AtomicChange;
using clang::tooling::Replacement;

namespace vinyl {

Expected<StringRef> SourceFiles::get(StringRef Path) {
  auto It = Buffers.find(Path);
  if (It != Buffers.end())
    return It->second->getBuffer();
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: error: cannot read: %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  StringRef Text = (*Buffer)->getBuffer();
  Buffers[Path] = std::move(*Buffer);
  return Text;
}

namespace {

class Rewriter {
public:
  Rewriter(const Facts &F, const Solution &S, const Config &C,
           SourceFiles &Sources)
      : F(F), S(S), C(C), Sources(Sources), Twins(F, S, C, Sources),
        FastPaths(C, Sources), Callbacks(F, S, C, Sources) {}

  Expected<std::vector<AtomicChange>> run() {
    for (const auto &[Id, Fn] : F.Functions)
      if (S.isAsync(Id) && !Fn.IsCoroutine)
        if (Error E = rewriteFunction(Fn))
          return std::move(E);
    for (const CallFact &Call : F.Calls)
      rewriteCall(Call);
    for (size_t I : S.BlockOnCalls)
      waitInPlace(F.Calls[I]);
    for (size_t I : S.LeafWaits)
      waitOnLeaf(F.Calls[I]);
    rewriteSyncObjects();
    for (const auto &[Id, Fn] : F.Functions) {
      if (!S.isAsync(Id))
        continue;
      // A void function whose awaits may all be in a branch some build
      // leaves out (`#ifdef USE_TLS`) gets a `co_return;` of its own too:
      // without one it would not be a coroutine there.
      bool MaybeNoAwait =
          Fn.SometimesInactive && llvm::any_of(Fn.Decls, [](const DeclFact &D) {
            return D.Result == "void";
          });
      if (!Fn.IsCoroutine && Fn.IsMain) {
        if (Error E = returnZeroAtEnd(Fn))
          return std::move(E);
      } else if (!Fn.IsCoroutine &&
                 ((!Awaits.count(Id) && Fn.Returns.empty()) || MaybeNoAwait)) {
        if (Error E = makeCoroutine(Fn))
          return std::move(E);
      }
      if (AwaitsInCondition.count(Id) && !Fn.HasLocals &&
          C.Compiler.needsGccWorkarounds())
        if (Error E = workAroundGcc12(Fn))
          return std::move(E);
    }
    return changes();
  }

private:
  /// The coroutine's name when a facade keeps the old, unqualified one.
  static StringRef unqualified(StringRef Name) {
    return Name.substr(Name.rfind(':') + 1); // npos + 1 == 0
  }

  std::string asyncName(const FunctionFact &Fn) const {
    return C.asyncName(unqualified(Fn.Name));
  }

  std::string task(StringRef Result) const {
    return fmt::format("{}<{}>", C.TaskType, Result);
  }

  void add(const Anchor &A, std::string Text, long Rank = 0) {
    Files[A.File].push_back({A.Offset, A.Length, std::move(Text), Rank});
  }
  void insert(StringRef File, unsigned Offset, std::string Text,
              long Rank = 0) {
    Files[File.str()].push_back({Offset, 0, std::move(Text), Rank});
  }

  Error rewriteFunction(const FunctionFact &Fn) {
    bool Facade = S.hasFacade(Fn.Id);
    bool Split = S.FastPaths.count(Fn.Id);
    if (Facade)
      if (Error E = nameTwinInUsings(Fn))
        return E;
    for (const DeclFact &D : Fn.Decls) {
      Expected<StringRef> Text = Sources.get(D.Whole.File);
      if (!Text)
        return Text.takeError();
      // A split function's other declarations declare its plain half.
      std::string Result = Split && !D.IsDefinition ? FastPaths.resultType(D)
                                                    : task(D.Result);
      if (D.InsertReturn)
        add(D.ReturnType, fmt::format("-> {} ", Result));
      else
        add(D.ReturnType,
            returnTypeBefore(*Text, D.ReturnType.Offset + D.ReturnType.Length,
                             Result));
      if (!D.AddParens.File.empty())
        add(D.AddParens, "()");
      // The coroutine returns a class: it cannot have C linkage.
      if (!D.LinkagePrefix.File.empty())
        add(D.LinkagePrefix, "");
      if (D.InExternCBlock)
        insert(D.Whole.File, D.Whole.Offset, "extern \"C++\" ", /*Rank=*/-1);
      unsigned End = D.Whole.Offset + D.Whole.Length;
      if (Split) {
        auto Resume = S.Resumes.find(Fn.Id);
        std::vector<HandOver> Points;
        if (Resume != S.Resumes.end()) {
          Expected<std::vector<HandOver>> P = handOvers(Resume->second);
          if (!P)
            return P.takeError();
          Points = std::move(*P);
          if (D.IsDefinition)
            resumePoints(Fn, D, Resume->second);
        }
        if (D.IsDefinition)
          add(D.ParamsOpen,
              FastPathWriter::tagParameter(D, /*Named=*/!Points.empty()));
        Expected<std::string> Half = FastPaths.after(
            Fn, D, Facade ? StringRef(asyncName(Fn)) : unqualified(Fn.Name),
            Points);
        if (!Half)
          return Half.takeError();
        insert(D.Whole.File, End, std::move(*Half), /*Rank=*/1);
      }
      // After the facade, or the old declaration a facade keeps; before
      // the facade where nothing declares it earlier, since the facade
      // calls it.
      if (S.Twins.count(Fn.Id)) {
        Expected<std::string> Twin = Twins.after(Fn, D);
        if (!Twin)
          return Twin.takeError();
        bool DeclaredBefore = llvm::any_of(
            Fn.Decls, [](const DeclFact &O) { return !O.IsDefinition; });
        insert(D.Whole.File, End, std::move(*Twin),
               /*Rank=*/D.IsDefinition && !DeclaredBefore ? 1 : 2);
      }
      if (!Facade)
        continue;
      std::string NewName = asyncName(Fn);
      add(D.Name, NewName);
      // An explicit specialisation is renamed with its template, whose
      // facade serves it (`get<int>` -> block_on(get_async<int>)); an old
      // declaration of it would declare a specialisation of the facade.
      if (!Fn.SpecializationOf.empty())
        continue;
      // A template only declared, its specialisations defined: the facade
      // is a definition of the old template, where it was declared first.
      bool DeclaredFacade = !D.IsDefinition && !Fn.HasDefinition &&
                            &D == &Fn.Decls.front() && !D.Signature.empty() &&
                            F.hasSpecializations(Fn.Id);
      if (!D.IsDefinition && !DeclaredFacade) {
        // The old declaration stays, after the coroutine's.
        Expected<std::string> Old = Callbacks.apply(
            Text->substr(D.Whole.Offset, D.Whole.Length).str(), D.Whole.File,
            D.Whole.Offset);
        if (!Old)
          return Old.takeError();
        insert(D.Whole.File, End,
               fmt::format("\n{}{}{}", D.Indent, D.Attributes, *Old),
               /*Rank=*/1);
        continue;
      }
      Expected<std::string> Signature =
          Callbacks.apply(D.Signature, D.Whole.File, D.Whole.Offset);
      if (!Signature)
        return Signature.takeError();
      // The facade: the old signature, waiting for the coroutine.
      insert(D.Whole.File, End,
             fmt::format("\n\n{0}{8}{1} {{\n"
                         "{6}"
                         "{0}  return {2}({7}{3}{4}({5}));\n"
                         "{0}}}",
                         D.Indent, *Signature, C.BlockOn, NewName,
                         D.TemplateArgs, D.ForwardArgs,
                         S.Twins.count(Fn.Id)
                             ? Twins.dispatch(unqualified(Fn.Name), D, D.Indent)
                             : "",
                         D.Object,
                         D.Attributes +
                             (D.FacadeMaybeUnused ? "[[maybe_unused]] " : "")),
             /*Rank=*/1);
    }
    for (const Anchor &R : Fn.Returns)
      add(R, "co_return");
    // A coroutine hands its exceptions to the awaiter; noexcept meant
    // the program ends, so it still does.
    if (!Fn.IsNoexcept)
      return Error::success();
    return forEachDefinition(Fn, [&](const DeclFact &D, StringRef) {
      insert(D.Whole.File, Fn.BodyOpen, " try {", /*Rank=*/-1);
      insert(D.Whole.File, D.BodyClose, "} catch (...) { std::terminate(); } ",
             /*Rank=*/1);
    });
  }

  /// The number of the resume point of each of \p Calls, from 1: calls in
  /// one loop condition, next to each other, share one.
  std::vector<unsigned> pointNumbers(ArrayRef<size_t> Calls) const {
    std::vector<unsigned> Out;
    for (size_t I = 0; I < Calls.size(); ++I)
      Out.push_back(I > 0 && F.Calls[Calls[I]].Resume.Statement ==
                                 F.Calls[Calls[I - 1]].Resume.Statement
                        ? Out.back()
                        : (Out.empty() ? 1 : Out.back() + 1));
    return Out;
  }

  /// The plain half of a caller split at its waits hands over at \p Calls:
  /// each call as that half writes it, calling its callee's plain half.
  Expected<std::vector<HandOver>> handOvers(ArrayRef<size_t> Calls) {
    std::vector<HandOver> Out;
    std::vector<unsigned> Numbers = pointNumbers(Calls);
    for (size_t I : Calls) {
      const CallFact &Call = F.Calls[I];
      Expected<StringRef> Text = Sources.get(Call.Call.File);
      if (!Text)
        return Text.takeError();
      HandOver H{Call.Call, Call.Resume.Statement, Call.Resume.Braces,
                 Text->substr(Call.Call.Offset, Call.Call.Length).str()};
      H.Point = Numbers[Out.size()];
      H.LoopCondition = Call.Resume.LoopCondition;
      H.Condition = Call.Resume.Condition;
      H.BodyEnd = Call.Resume.BodyEnd;
      if (S.hasFacade(Call.Callee) && Call.Call.contains(Call.CalleeName))
        H.CallText.replace(Call.CalleeName.Offset - Call.Call.Offset,
                           Call.CalleeName.Length,
                           asyncName(F.Functions.at(Call.Callee)));
      Out.push_back(std::move(H));
    }
    return Out;
  }

  /// The coroutine half of a caller split at its waits: where the plain
  /// half stopped, it goes on (`switch (vinyl_at.at) { case K: goto
  /// vinyl_at_K; }`, a label before each statement), and a declaration
  /// the jump crosses no longer initialises (`int b; b = e;`).
  void resumePoints(const FunctionFact &Fn, const DeclFact &D,
                    ArrayRef<size_t> Calls) {
    std::string Jumps;
    std::vector<unsigned> Numbers = pointNumbers(Calls);
    for (size_t I = 0; I < Calls.size(); ++I) {
      const CallFact &Call = F.Calls[Calls[I]];
      unsigned K = Numbers[I];
      if (I > 0 && Numbers[I - 1] == K)
        continue;
      Jumps += fmt::format("case {0}: goto vinyl_at_{0}; ", K);
      insert(Call.Resume.Statement.File, Call.Resume.Statement.Offset,
             fmt::format("vinyl_at_{}: ", K),
             std::numeric_limits<long>::min());
      for (const TextEdit &E : Call.Resume.Splits)
        if (SharedEdits.insert({E.Where, E.Text}).second)
          add(E.Where, E.Text);
    }
    // On a line of its own, after the local g++ 12 may need (which
    // the jumps must not cross).
    insert(D.Whole.File, Fn.BodyOpen,
           fmt::format("\n{}  switch (vinyl_at.at) {{ {}default: break; }}",
                       D.Indent, Jumps),
           /*Rank=*/1);
  }

  /// `using detail::query;` names the facade: the twin goes beside it,
  /// `using detail::query, detail::query_async;`. Once per declaration,
  /// however many overloads it names.
  Error nameTwinInUsings(const FunctionFact &Fn) {
    for (const Anchor &U : Fn.Usings) {
      if (!UsingsDone.insert({U.File, U.Offset}).second)
        continue;
      Expected<StringRef> Text = Sources.get(U.File);
      if (!Text)
        return Text.takeError();
      StringRef Name = Text->substr(U.Offset, U.Length);
      StringRef Qualifier = Name.substr(0, Name.rfind("::") + 2);
      if (!Name.contains("::"))
        Qualifier = "";
      insert(U.File, U.Offset + U.Length,
             fmt::format(", {}{}", Qualifier, asyncName(Fn)));
    }
    return Error::success();
  }

  /// A function in an async override family may have nothing to await;
  /// `co_return;` still makes it a coroutine.
  /// It goes on a line of its own, indented like the body, when the '}'
  /// starts its line, and before the '}' on a one-line body.
  Error makeCoroutine(const FunctionFact &Fn) {
    return forEachDefinition(Fn, [&](const DeclFact &D, StringRef Text) {
      returnAtEnd(D, Text, "co_return;");
    });
  }

  /// `main` returns 0 at its end, where `main_async` must say so: falling
  /// off a coroutine's end is undefined. This also makes a definition
  /// that neither awaits nor returns (one of two programs' `main`s, which
  /// share an id) a coroutine.
  Error returnZeroAtEnd(const FunctionFact &Fn) {
    return forEachDefinition(Fn, [&](const DeclFact &D, StringRef Text) {
      if (D.FallsOffEnd)
        returnAtEnd(D, Text, "co_return 0;", /*LikeFirstLine=*/true);
    });
  }

  /// Inserts \p Statement before the closing '}' of definition \p D,
  /// indented like its first line (\p LikeFirstLine: it follows the body's
  /// last statement, which may be nested), or like the line above.
  void returnAtEnd(const DeclFact &D, StringRef Text, StringRef Statement,
                   bool LikeFirstLine = false) {
    StringRef Before = Text.substr(0, D.BodyClose);
    StringRef Line = Before.substr(Before.rfind('\n') + 1);
    if (!Line.trim().empty()) {
      insert(D.Whole.File, D.BodyClose,
             fmt::format("{}{} ", Line.ends_with("{") ? " " : "", Statement));
      return;
    }
    // The body's indentation: the line above, if deeper than the '}'.
    StringRef Above = Before.drop_back(Line.size() + 1);
    Above = Above.substr(Above.rfind('\n') + 1);
    if (LikeFirstLine) {
      // The signature runs up to the body's '{'.
      StringRef Body = Before.drop_front(D.Whole.Offset + D.Signature.size());
      Body = Body.drop_until([](char C) { return C == '\n'; });
      Above = Body.ltrim("\r\n").split('\n').first;
    }
    StringRef Indent =
        Above.take_while([](char C) { return C == ' ' || C == '\t'; });
    std::string BodyIndent =
        Indent.size() > Line.size() && !Above.trim().empty()
            ? Indent.drop_front(Line.size()).str()
            : std::string("  ");
    insert(D.Whole.File, D.BodyClose,
           fmt::format("{}{}\n{}", BodyIndent, Statement, Line));
  }

  /// Calls \p Body with each definition of \p Fn and its file's text.
  Error
  forEachDefinition(const FunctionFact &Fn,
                    function_ref<void(const DeclFact &, StringRef)> Body) {
    for (const DeclFact &D : Fn.Decls) {
      if (!D.IsDefinition)
        continue;
      Expected<StringRef> Text = Sources.get(D.Whole.File);
      if (!Text)
        return Text.takeError();
      Body(D, *Text);
    }
    return Error::success();
  }

  /// g++ 12.2 miscompiles a coroutine that declares no variable and awaits
  /// in the condition of an if, while, for, do or switch: resuming it skips
  /// the body. Any local variable avoids the bug, so give it one.
  Error workAroundGcc12(const FunctionFact &Fn) {
    return forEachDefinition(Fn, [&](const DeclFact &D, StringRef Text) {
      // A body on one line goes on after the comment, on a line of its own.
      StringRef Rest = Text.substr(Fn.BodyOpen).split('\n').first;
      std::string After = Rest.trim().empty()
                              ? ""
                              : fmt::format("\n{}{}", D.Indent,
                                            Rest.starts_with(" ") ? " " : "  ");
      insert(D.Whole.File, Fn.BodyOpen,
             fmt::format("\n{}  [[maybe_unused]] bool vinyl_gcc12_frame = "
                         "true; // g++ 12.2 miscompiles coroutines without "
                         "locals{}",
                         D.Indent, After));
    });
  }

  /// In async code (new coroutines and existing ones alike) every call that
  /// reaches I/O is awaited: leaves become their awaitables, facades their
  /// coroutines, block_on(t) becomes co_await t. Calls of coroutines that
  /// existed before are left as written: that code handles its tasks.
  void rewriteCall(const CallFact &Call) {
    if (Call.Kind == CallKind::Spawn)
      return rewriteSpawn(Call);
    if (Call.Kind == CallKind::Join && !S.isAsync(Call.Callee))
      return;
    // A member container's element type, where a unit that adds no thread
    // names it (`for (std::thread &t : workers_)`).
    if (Call.Kind == CallKind::Join)
      addSpawnEdits(Call);
    // A function stored as a callback type: the type now holds coroutines.
    if (Call.Kind == CallKind::AddressTaken && !Call.CallbackType.empty() &&
        S.hasFacade(Call.Callee) && Call.Problem.empty())
      return add(Call.CalleeName, asyncName(F.Functions.at(Call.Callee)));
    if (Call.Awaited || Call.BlockedOn || !S.isAsync(Call.Caller) ||
        Call.Kind == CallKind::AddressTaken || !Call.Problem.empty() ||
        !F.Functions.count(Call.Caller))
      return;
    // One call of a template's text, found once per instantiation: its
    // callees are one family (see the solver), so one await serves all.
    if (Call.Dependent && !DependentCalls.insert(Call.Call).second)
      return;
    StringRef Callee = Call.Callee;
    const LeafRule *Leaf = nullptr;
    if (Call.Kind == CallKind::BlockingWait) {
      add(Call.CalleeName, Call.NeedsParens ? "(co_await " : "co_await ");
      if (Call.NeedsParens)
        insert(Call.Call.File, Call.Call.Offset + Call.Call.Length, ")",
               Call.Call.Length);
      noteAwait(Call);
      return;
    }
    const bool IsLeaf = Callee.consume_front("leaf:");
    if (Call.Kind == CallKind::Join) {
      // The handle's join returns the task: await it as written.
    } else if (IsLeaf) {
      Leaf = replaceLeaf(Call);
    } else if (auto Twin = S.FacadeTwins.find(Call.Callee);
               Twin != S.FacadeTwins.end()) {
      add(Call.CalleeName,
          unqualified(F.Functions.at(Twin->second).Name).str());
    } else if (!S.isAsync(Call.Callee) || !F.Functions.count(Call.Callee) ||
               F.Functions.at(Call.Callee).IsCoroutine) {
      return;
    } else if (S.hasFacade(Call.Callee)) {
      add(Call.CalleeName, asyncName(F.Functions.at(Call.Callee)));
    }
    noteAwait(Call);
    bool Operator = Call.Kind == CallKind::Operator;
    std::string Open = Call.MoveAwait     ? "std::move(co_await "
                       : Call.DerefAwait  ? "(*&co_await "
                       : Call.NeedsParens ? "(co_await "
                                          : "co_await ";
    std::string Close = Call.NeedsParens ? ")" : "";
    if (Operator) {
      Open += "(";
      Close = ")" + Close;
    }
    Open = Call.AwaitBefore + Open;
    Close += Call.AwaitAfter;
    // A leaf with no awaitable: the call itself goes to a worker thread.
    // The lambda captures by reference what the call reads, which lives
    // in the suspended frame until the call is done.
    if (Leaf && Leaf->Offload) {
      Open += OffloadOpen.str();
      Close = OffloadClose.str() + Close;
    }
    // Outer calls open first and close last.
    long Len = Call.Call.Length;
    insert(Call.Call.File, Call.Call.Offset, Open, -Len);
    if (!Close.empty())
      insert(Call.Call.File, Call.Call.Offset + Call.Call.Length, Close, Len);
  }

  /// A leaf call becomes its awaitable: the rule's replacement (a member
  /// call's object first), the converted library's coroutine, or, for an
  /// offload leaf, the call as it is, which the caller wraps. The rule,
  /// unless it is the library's coroutine.
  const LeafRule *replaceLeaf(const CallFact &Call) {
    if (!Call.Twin.empty()) {
      add(Call.CalleeName, Call.Twin);
      return nullptr;
    }
    const LeafRule *Leaf = C.findLeaf(StringRef(Call.Callee).drop_front(5));
    if (Leaf->Offload) {
      // Wrapped by the caller.
    } else if (!Call.LeafMember.File.empty()) {
      // `s.read(b)` -> `repl(s, b)`: after the await, before any await
      // of a call that starts the object.
      insert(Call.LeafObject.File, Call.LeafObject.Offset,
             Leaf->Replacement + "(" + Call.LeafObjectPrefix,
             -long(Call.Call.Length) + 1);
      add(Call.LeafMember, Call.LeafHasArgs ? ", " : "");
    } else {
      add(Call.CalleeName, Leaf->Replacement);
    }
    if (!Leaf->Header.empty())
      LeafHeaders[Call.Call.File].insert(Leaf->Header);
    return Leaf;
  }

  /// A leaf call in a function that stays synchronous: its awaitable,
  /// waited on in place (`vinyl::block_on(vinyl::pq::connectdb(info))`).
  void waitOnLeaf(const CallFact &Call) {
    const LeafRule *Leaf = replaceLeaf(Call);
    std::string Open = C.BlockOn + "(", Close = ")";
    if (Leaf && Leaf->Offload) {
      Open += OffloadOpen.str();
      Close = OffloadClose.str() + Close;
    }
    long Len = Call.Call.Length;
    insert(Call.Call.File, Call.Call.Offset, Open, -Len);
    insert(Call.Call.File, Call.Call.Offset + Call.Call.Length, Close, Len);
  }

  /// `std::thread(f, a).detach()` -> `vinyl::spawn(f', a)`, `std::thread
  /// t(f, a)` -> `auto t = vinyl::spawn(f', a)`: the runtime decay-copies f
  /// and a into the task, as the thread did.
  void rewriteSpawn(const CallFact &Call) {
    if (!S.isAsync(Call.Callee) || !Call.Problem.empty())
      return;
    addSpawnEdits(Call);
    if (S.hasFacade(Call.Callee))
      add(Call.CalleeName, asyncName(F.Functions.at(Call.Callee)));
  }

  /// A spawn's or join's edits, each once however many calls carry it
  /// (`std::thread a(f), b(g);` shares one type: one `auto` for both; the
  /// spawns and joins of one container share its element type).
  void addSpawnEdits(const CallFact &Call) {
    for (const TextEdit &E : Call.SpawnEdits)
      if (SharedEdits.insert({E.Where, E.Text}).second)
        add(E.Where, E.Text);
  }

  /// The call is awaited: note it, and make the edits that go with it.
  void noteAwait(const CallFact &Call) {
    // Before the awaits at the same offset: `while (true) { if (!(co_await`.
    for (const TextEdit &E : Call.AwaitEdits)
      if (SharedEdits.insert({E.Where, E.Text}).second) {
        if (!E.Unless.File.empty())
          UnlessAwaited.push_back(&E);
        else
          add(E.Where, E.Text, std::numeric_limits<long>::min());
      }
    AwaitedCalls.push_back(Call.Call);
    for (const Lowering &L : Call.Lowerings) {
      // Instantiations of one template's text must lower it alike.
      auto [It, New] = Lowered[L.Whole.File].emplace(L.Whole, &L);
      if (!New && !samePieces(*It->second, L) && !LoweringConflict)
        LoweringConflict = L.Whole;
    }
    Awaits.insert(Call.Caller);
    // A statement lowered into an if awaits in its condition.
    if (Call.InCondition || llvm::any_of(Call.Lowerings, [](const Lowering &L) {
          return L.AwaitsInCondition;
        }))
      AwaitsInCondition.insert(Call.Caller);
  }

  /// A mutex or condition variable that becomes a vinyl one: its type,
  /// and each use as a coroutine or synchronous code needs it.
  void rewriteSyncObjects() {
    static constexpr const char *Header = "<vinyl/sync.hpp>";
    for (const std::string &Id : S.SyncConverted) {
      const SyncObjectFact &O = F.SyncObjects.at(Id);
      if (SharedEdits.insert({O.Type, ""}).second) {
        add(O.Type,
            O.IsCondition ? "vinyl::condition_variable" : "vinyl::mutex");
        LeafHeaders[O.Type.File].insert(Header);
      }
    }
    for (const SyncUseFact &U : F.SyncUses) {
      if (!S.SyncConverted.count(U.Object))
        continue;
      auto Fn = F.Functions.find(U.Caller);
      bool Coroutine = S.isAsync(U.Caller) ||
                       (Fn != F.Functions.end() && Fn->second.IsCoroutine);
      for (const TextEdit &E : Coroutine ? U.Async : U.Sync) {
        if (!SharedEdits.insert({E.Where, E.Text}).second)
          continue;
        add(E.Where, E.Text);
        LeafHeaders[E.Where.File].insert(Header);
      }
      if (Coroutine && U.AsyncAwaits)
        Awaits.insert(U.Caller);
    }
  }

  /// Synchronous code calling a lambda that became a coroutine waits for
  /// it right there.
  void waitInPlace(const CallFact &Call) {
    long Len = Call.Call.Length;
    insert(Call.Call.File, Call.Call.Offset, C.BlockOn + "(", -Len);
    insert(Call.Call.File, Call.Call.Offset + Call.Call.Length, ")", Len);
  }

  Expected<std::vector<AtomicChange>> changes() {
    for (const TextEdit *E : UnlessAwaited) {
      const Anchor &R = E->Unless;
      bool Awaits = llvm::any_of(
          AwaitedCalls, [&](const Anchor &A) { return R.contains(A); });
      if (!Awaits)
        add(E->Where, E->Text, std::numeric_limits<long>::min());
    }
    if (LoweringConflict)
      return conflict(LoweringConflict->File, LoweringConflict->Offset);
    std::vector<AtomicChange> Out;
    for (auto &[File, Edits] : Files) {
      Expected<StringRef> Code = Sources.get(File);
      if (!Code)
        return Code.takeError();
      // The task header, then what the leaves used in this file need.
      std::vector<std::string> Headers{C.TaskHeader};
      llvm::append_range(Headers, LeafHeaders[File]);
      if (std::optional<IncludeEdit> Include = includeEdits(*Code, Headers))
        Edits.push_back({Include->Offset, 0, std::move(Include->Text),
                         std::numeric_limits<long>::min()});
      // Inserted lines end as the file's lines do.
      if (size_t Break = Code->find('\n');
          Break != StringRef::npos && Break > 0 && (*Code)[Break - 1] == '\r')
        for (Edit &E : Edits)
          E.Text = withCrLf(E.Text);
      sortEdits(Edits);
      // Lowered statements, innermost first: each becomes one replacement
      // that an outer one can carry like any other edit.
      std::vector<const Lowering *> Lowerings;
      for (const auto &[Whole, L] : Lowered[File])
        if (L->Order.empty() || gccReorders(L->Order, [&](const Anchor &A) {
              return llvm::is_contained(AwaitedCalls, A);
            }))
          Lowerings.push_back(L);
      llvm::stable_sort(Lowerings, [](const Lowering *A, const Lowering *B) {
        return A->Whole.Length < B->Whole.Length;
      });
      for (const Lowering *L : Lowerings)
        if (Error E = lower(File, *Code, *L, Edits))
          return std::move(E);
      std::vector<TwinWriter::Folded> Folded;
      for (size_t I = 0; I < Edits.size();) {
        // Fold the insertions at one offset and at most one replacement
        // starting there into a single replacement.
        unsigned Offset = Edits[I].Offset, Length = 0;
        std::string Text;
        for (; I < Edits.size() && Edits[I].Offset == Offset; ++I) {
          if (Edits[I].Length && Length &&
              (Edits[I].Length != Length || Edits[I].Text != Edits[I - 1].Text))
            return conflict(File, Offset);
          if (Edits[I].Length && Length)
            continue; // The same edit reached twice.
          Text += Edits[I].Text;
          Length = std::max(Length, Edits[I].Length);
        }
        if (!Folded.empty() &&
            Folded.back().Offset + Folded.back().Length > Offset)
          return conflict(File, Offset);
        Folded.push_back({Offset, Length, std::move(Text)});
      }
      Twins.fillFingerprints(File, *Code, Folded);
      AtomicChange Change(File, File);
      for (TwinWriter::Folded &E : Folded)
        if (Error Err = Change.getReplacements().add(
                Replacement(File, E.Offset, E.Length, E.Text))) {
          consumeError(std::move(Err));
          return conflict(File, E.Offset);
        }
      Out.push_back(std::move(Change));
    }
    return Out;
  }

  static bool samePieces(const Lowering &A, const Lowering &B) {
    return llvm::equal(A.Pieces, B.Pieces,
                       [](const LoweredPiece &P, const LoweredPiece &Q) {
                         return P.Source == Q.Source && P.Text == Q.Text &&
                                P.Operand == Q.Operand;
                       });
  }

  /// lowerStatement, with a conflict located in \p File.
  Error lower(StringRef File, StringRef Code, const Lowering &L,
              std::vector<Edit> &Edits) {
    if (std::optional<unsigned> At = lowerStatement(Code, L, Edits))
      return conflict(File, *At);
    return Error::success();
  }

  /// \p Text with every line break a CR LF.
  static std::string withCrLf(StringRef Text) {
    std::string Out;
    for (size_t I = 0; I < Text.size(); ++I) {
      if (Text[I] == '\n' && (I == 0 || Text[I - 1] != '\r'))
        Out += '\r';
      Out += Text[I];
    }
    return Out;
  }

  /// Two edits of one place disagree: facts files from different runs,
  /// or a source that changed between extraction and rewriting.
  Error conflict(StringRef File, unsigned Offset) {
    unsigned Line = 1, Column = 1;
    if (Expected<StringRef> Code = Sources.get(File)) {
      StringRef Before = Code->take_front(Offset);
      Line += Before.count('\n');
      Column += Before.size() - (Before.rfind('\n') + 1);
    } else {
      consumeError(Code.takeError());
    }
    return createStringError(inconvertibleErrorCode(),
                             "%s:%u:%u: error: conflicting edits here (were "
                             "the facts extracted from another version of "
                             "the file?); nothing was written",
                             File.str().c_str(), Line, Column);
  }

  const Facts &F;
  const Solution &S;
  const Config &C;
  SourceFiles &Sources;
  TwinWriter Twins;
  FastPathWriter FastPaths;
  /// Copies of text (facade signatures, kept declarations) that write a
  /// callback type becoming a task.
  CallbackTasks Callbacks;
  std::map<std::string, std::vector<Edit>> Files;
  std::set<std::string> Awaits, AwaitsInCondition;
  /// Edits several calls carry; each is made once.
  std::set<std::pair<Anchor, std::string>> SharedEdits;
  /// Edits made unless a call in their range is awaited, and the calls
  /// awaited.
  std::vector<const TextEdit *> UnlessAwaited;
  std::vector<Anchor> AwaitedCalls;
  std::set<Anchor> DependentCalls;
  /// Using-declarations given a twin already.
  std::set<std::pair<std::string, unsigned>> UsingsDone;
  /// Statements to lower, per file, each once.
  std::map<std::string, std::map<Anchor, const Lowering *>> Lowered;
  /// Per file, the headers of the leaf replacements its calls use.
  std::map<std::string, std::set<std::string>> LeafHeaders;
  std::optional<Anchor> LoweringConflict;
};

} // namespace

Expected<std::vector<AtomicChange>> rewrite(const Facts &F, const Solution &S,
                                            const Config &C,
                                            SourceFiles &Sources) {
  return Rewriter(F, S, C, Sources).run();
}

} // namespace vinyl
