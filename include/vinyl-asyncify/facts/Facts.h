//===- Facts.h - What extraction learns from one translation unit -*- C++ -*-===//
//
// Plain data, no AST: the solver colours functions from these facts alone,
// and the rewriter turns them into edits without parsing again, because every
// place an edit may go was anchored (file + byte offset) during extraction.
// Facts from many TUs are merged by function id (USR); headers seen by many
// TUs yield the same anchors, which merging de-duplicates.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_FACTS_FACTS_H
#define VINYL_ASYNCIFY_FACTS_FACTS_H

#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace vinyl {

/// A place in a file, for diagnostics.
struct Location {
  std::string File;
  unsigned Line = 0, Column = 0;
  bool valid() const { return !File.empty(); }
  bool operator==(const Location &O) const {
    return File == O.File && Line == O.Line && Column == O.Column;
  }
};

/// A byte range in a file, where an edit may go.
struct Anchor {
  std::string File;
  unsigned Offset = 0, Length = 0;
  /// Ranges that start together differ by their length: `f(x)` and
  /// `f(x).g()` are two calls.
  bool operator<(const Anchor &O) const {
    return std::tie(File, Offset, Length) < std::tie(O.File, O.Offset, O.Length);
  }
  bool operator==(const Anchor &O) const {
    return File == O.File && Offset == O.Offset && Length == O.Length;
  }
  /// Whether \p O lies wholly within this range.
  bool contains(const Anchor &O) const {
    return File == O.File && O.Offset >= Offset &&
           O.Offset + O.Length <= Offset + Length;
  }
};

/// DeclFact::Problem of an `auto` function whose type no instantiation in
/// the unit deduced; another unit may know it (Facts::merge), else it
/// stays synchronous.
inline constexpr llvm::StringLiteral UnknownDeducedType =
    "its deduced return type is not known here";

/// The start of DeclFact::Problem of an `auto` function whose deduced type
/// cannot be written outside it (a class local to it, a closure, an
/// unnamed type): no coroutine's type can say it, so it stays synchronous.
inline constexpr llvm::StringLiteral UnnameableDeducedType =
    "its deduced return type cannot be written outside it";

/// One declaration or the definition of a function, with its edit anchors.
struct DeclFact {
  Location Loc;
  Anchor ReturnType;       ///< Replaced by task<Result>.
  std::string Result;      ///< The T of task<T>, as spelled at this decl.
  bool TrailingReturn = false; ///< Return type follows "->".
  /// A lambda without a written return type: ReturnType is the empty range
  /// before its body, where "-> task<Result>" goes.
  bool InsertReturn = false;
  /// A lambda without "()": where they go, since "-> T" needs them.
  Anchor AddParens;
  /// C language linkage written on this declaration: `extern "C" ` before
  /// it (dropped from the coroutine, kept by the facade), or an enclosing
  /// `extern "C" { }` (the coroutine gets `extern "C++"`: it returns a
  /// class).
  Anchor LinkagePrefix;
  bool InExternCBlock = false;
  Anchor Name;             ///< The name token, renamed when a facade keeps it.
  Anchor Whole;            ///< The whole declaration, through ';' or '}'.
  bool IsDefinition = false;
  /// Definition only: the signature (up to the body) and the arguments that
  /// forward the parameters, for the facade.
  std::string Signature;
  std::string ForwardArgs;
  /// The template arguments the facade passes its twin explicitly
  /// ("<R>"): those up to the last one the arguments do not deduce.
  std::string TemplateArgs;
  /// What a facade calls its twin on, with the '.': "std::move(*this)."
  /// for a member qualified `&&`, which `*this` (an lvalue) cannot call.
  std::string Object;
  unsigned BodyClose = 0;  ///< Offset of the body's closing '}'.
  /// A definition of `main` that does not end in a return: C++ returns 0
  /// at its end, and its coroutine says so (`co_return 0;`), since a
  /// coroutine falling off its end is undefined.
  bool FallsOffEnd = false;
  /// Just after the parameter list's '(', where a synchronous twin's tag
  /// parameter goes; ParamsEmpty when the list has no parameter.
  Anchor ParamsOpen;
  bool ParamsEmpty = false;
  std::string TwinProblem; ///< Why no synchronous twin can copy it, if so.
  std::string Indent;      ///< Leading white space of the declaration's line.
  /// The attributes written before Whole (`[[nodiscard]] `), which the
  /// facade's copy of the declaration keeps: callers of the old name were
  /// told them.
  std::string Attributes;
  /// A definition with internal linkage that is not inline, in a header
  /// (`static int get(int)`): its facade is `[[maybe_unused]]`, since a
  /// unit whose calls all became awaits of the coroutine no longer uses
  /// it, and -Wunused-function would say so.
  bool FacadeMaybeUnused = false;
  std::string Problem;     ///< Why it cannot be rewritten textually, if so.
  std::string FacadeProblem; ///< Why no facade can forward to it, if so.
};

enum class CallKind {
  Direct,   ///< A call of a named function or member.
  Operator, ///< An overloaded operator written as an operator.
  Implicit, ///< A conversion, constructor or destructor the code never names.
  AddressTaken, ///< Not a call: the function's address is taken here (or,
                ///< for a lambda, its closure is stored or passed on).
  BlockingWait, ///< A call of the configured block_on: Callee is "wait:".
  Spawn,        ///< A thread started with Callee (a spawn rule): detached
                ///< at once, or held in a local that is joined.
  Join,         ///< Joins a thread that runs Callee (a spawn rule's join).
};

/// One replacement at an anchor, decided at extraction.
struct TextEdit {
  Anchor Where;
  std::string Text;
  /// When set, the edit is made only if no call inside this range is
  /// awaited (a skipped operand made a lambda, which cannot await).
  Anchor Unless;
  bool operator==(const TextEdit &) const = default;
};

/// One piece of a lowered statement: Text, or (Source set) a range of the
/// source written with the edits made inside it.
struct LoweredPiece {
  Anchor Source;
  std::string Text;
  /// An operand's range: an insertion at either of its ends is its own
  /// (`co_await ` before a call, the `)` after it), not its neighbour's.
  bool Operand = false;
};

/// A statement g++ would miscompile, written as statements that mean the
/// same: Whole becomes Pieces (`return a && f();` -> `{ if (a) { return
/// f(); } else { return false; } }`). A range may appear more than once;
/// each copy gets the edits inside it.
/// What a full-expression evaluates that has an effect, for the order g++
/// would give it (LowerOrder.cpp): a call that may be awaited (Call), or
/// anything else (Call empty).
struct OrderUnit {
  Anchor Call;
  /// The call's result is a class: g++ 12 evaluates such awaits before the
  /// others.
  bool ClassResult = false;
  bool operator==(const OrderUnit &) const = default;
};

struct Lowering {
  Anchor Whole;
  std::vector<LoweredPiece> Pieces;
  /// The statement becomes an if whose condition may await (g++ 12's
  /// frame workaround then applies).
  bool AwaitsInCondition = false;
  /// A statement rearranged only to keep its order of evaluation: its
  /// effects in the order the original evaluated them. The rewrite applies
  /// it only where, with the calls that are awaited, g++ would evaluate
  /// them in another order.
  std::vector<OrderUnit> Order;
};

/// One call in a function body (or at namespace scope, with no caller).
/// Where the plain half of a split caller (`fast_paths`) can stop and hand
/// the rest of its body to the coroutine half: a statement whose first
/// effect is this call, of a function split at a cold guard. The plain half
/// hoists the call before the statement and, when its result is not ready
/// (so the callee has done nothing yet), returns `f(vinyl::slow_t(K), a)`;
/// the coroutine half jumps to the statement (`goto vinyl_at_K`) and runs
/// it again, call and all. Extraction checks what that needs: whatever the
/// statement evaluates before the call is free of side effects; no local
/// but the one the call assigns is read after it (the coroutine has its
/// own); and the jump crosses no declaration that initialises.
struct ResumePoint {
  /// The statement, with its ';'. Empty when Problem says why not.
  Anchor Statement;
  /// The statement is not directly in a block: the plain half's version
  /// goes in braces.
  bool Braces = false;
  /// `int b = e;` declarations the jump crosses, each `int b; b = e;` in
  /// the coroutine half: the ` = ` to replace, and its replacement.
  std::vector<TextEdit> Splits;
  /// Nothing with an effect runs before the call: the statement is
  /// reached from the top of the body through blocks whose earlier
  /// statements are declarations free of side effects. A function whose
  /// every point is such has done nothing when it hands over, so its
  /// callers may make its call again, as they do a guard's.
  bool Pristine = false;
  /// The call is in the condition of a `while` loop: Statement is the
  /// loop's head, `while (C)`, which the plain half writes as `for (;;) {
  /// bool vinyl_stop_K = false; bool vinyl_go_K = static_cast<bool>(C');
  /// ...hand-over if stopped...; if (!vinyl_go_K) break;`, each call in C'
  /// taken by vinyl::ready_or_stop. Condition is C; BodyEnd (empty) where
  /// the body ends and that block closes; ConditionCalls the calls in C
  /// that are neither pure nor of a function known to be free of effects,
  /// each of which must be such a point.
  bool LoopCondition = false;
  Anchor Condition, BodyEnd;
  unsigned ConditionCalls = 0;
  std::string Problem;
  bool operator==(const ResumePoint &) const = default;
};

struct CallFact {
  std::string Caller; ///< Function id; empty for namespace-scope initialisers.
  std::string Callee; ///< Function id, or "leaf:<name>" for a rules leaf.
  Location Loc;
  CallKind Kind = CallKind::Direct;
  Anchor Call;        ///< The whole call expression.
  Anchor CalleeName;  ///< The name to rename or, for a leaf, to replace.
  bool NeedsParens = false; ///< Postfix use: (co_await f()).m
  /// A member of a value result in a template: std::move(co_await f()).m,
  /// since g++ 12 cannot parse (co_await f()).m there.
  bool MoveAwait = false;
  /// The same for a reference result: (*&co_await f()).m, the same object.
  bool DerefAwait = false;
  /// A lock variable in scope at the call, "'g' (std::lock_guard, line
  /// 12)": held across the await the call becomes.
  std::string HeldLock;
  /// The mutexes (SyncObjectFact ids) the locks in scope at the call hold.
  std::vector<std::string> HeldMutexes;
  bool InCondition = false; ///< In the condition of if/while/for/do/switch.
  bool Awaited = false;     ///< Already the operand of co_await.
  bool BlockedOn = false;   ///< The argument of a block_on: a sync wait.
  /// Found in a template instantiation: Callee is what this call of the
  /// template's text resolves to there (others may resolve elsewhere).
  bool Dependent = false;
  std::string Problem;      ///< Why it cannot be rewritten textually, if so.
  /// A rules leaf by name that is also declared under the paths: it is the
  /// leaf unless the paths define it (see resolveLeaves).
  std::string LeafName;
  Anchor LeafCallee; ///< The callee as written, replaced if it is the leaf.
  /// A blocking facade outside the paths (a converted library's `get`
  /// over its coroutine `get_async`): Callee is "leaf:<its name>", and
  /// the call becomes `co_await <Twin>(...)`, renaming the name token.
  std::string Twin;
  /// A call of a member function leaf (`s.read(b)`, `p->read(b)`, or
  /// `read(b)` in a member): its replacement takes the object first
  /// (`repl(s, b)`, `repl(*p, b)`, `repl(*this, b)`). `repl(` and
  /// LeafObjectPrefix go in at LeafObject, an insertion point (the object's
  /// start, or the call's); LeafMember, from the object's end to the first
  /// argument (or to `)` without one), becomes ", " (or nothing).
  Anchor LeafObject;
  std::string LeafObjectPrefix;
  Anchor LeafMember;
  bool LeafHasArgs = false;
  /// Where a synchronous twin's call of its callee's twin puts the tag
  /// (before the first argument, or at ')' with none; TwinTagArgs says
  /// which); empty when the call cannot take one (an operator, a macro).
  Anchor TwinTag;
  bool TwinTagArgs = false;
  /// AddressTaken only: the callback type (id) the address is stored as,
  /// which makes Callee a member of that type's family.
  std::string CallbackType;
  /// Spawn only: the edits that make the thread a task when Callee is
  /// async (`std::thread(f).detach()` -> `vinyl::spawn(f)`, `std::thread
  /// t(f)` -> `auto t = vinyl::spawn(f)`), and the function that spawns.
  std::vector<TextEdit> SpawnEdits;
  std::string SpawnWith;
  /// Edits made once when the call is awaited, beside the await itself
  /// (a `while` whose condition awaits becomes `while (true) { if ... }`).
  std::vector<TextEdit> AwaitEdits;
  /// Written around the await, outside it: a comparison C++20 rewrites
  /// awaits the call it means (`a != b` -> `!co_await (a == b)`, `a < b`
  /// -> `(co_await (a <=> b) < 0)`).
  std::string AwaitBefore, AwaitAfter;
  /// Statements rewritten when the call is awaited (once however many
  /// calls carry them), for g++'s sake.
  std::vector<Lowering> Lowerings;
  /// Recorded with `fast_paths` for a direct call in a function's body.
  ResumePoint Resume;
  /// Spawn and Join of a thread kept in a local container: the container
  /// ("file:line:col name"). Its threads become tasks together or not at
  /// all, since the container holds one type.
  std::string Group;
};

/// Where a definition may be split for its ready path (`fast_paths`): its
/// first statement, after declarations without side effects, is `if (G)
/// THEN` or `if (G && REST) THEN` with G free of side effects. If every
/// await of the converted body lies in Cold, a plain copy of the body that
/// hands the call to the coroutine where G holds (`if (G) return f(
/// vinyl::slow, a);`) makes the calls the original made up to there, and
/// the coroutine, run from the start, makes them again: G cannot tell.
struct FastPathFact {
  /// From the end of G to the end of the then-branch.
  Anchor Cold;
  /// ` && REST`, removed from the condition in the plain copy; empty when
  /// G is the whole condition.
  Anchor Drop;
  /// The then-branch, which the plain copy replaces by the hand-over.
  Anchor Then;
  /// Everything outside the cold part (the guard, the declarations before
  /// it, an else-branch, and what follows the `if`) is free of side
  /// effects: a call that is ready changed nothing, so a caller may make it
  /// again (a loop condition's replay).
  bool ReadyPure = false;
  /// Why the body has no such guard, when it has none (for --explain).
  std::string Problem;
  bool operator==(const FastPathFact &) const = default;
};

struct FunctionFact {
  std::string Id;   ///< USR of the canonical declaration.
  std::string Name; ///< Qualified name, for messages.
  Location Loc;     ///< Where it is first declared.
  bool Writable = false;     ///< Its definition is under the paths.
  bool HasDefinition = false;
  bool IsMain = false;
  bool IsConstructor = false, IsDestructor = false;
  bool IsConstexpr = false, IsVariadic = false;
  bool IsConsteval = false;
  /// Declared noexcept: an exception escaping it ends the program, also
  /// once it is a coroutine (whose exceptions would go to the awaiter).
  bool IsNoexcept = false;
  /// A conversion operator: its result type is what it converts to, so it
  /// cannot become a task, and its calls are mostly implicit.
  bool IsConversion = false;
  bool IsOperator = false;     ///< Cannot be renamed for a facade.
  bool IsVirtual = false;
  bool IsExternC = false;
  bool IsCoroutine = false;    ///< Already a coroutine.
  bool IsLambda = false;       ///< A lambda's call operator.
  /// A synchronous twin an earlier run wrote (its first parameter is the
  /// twin tag): blocking by design, never converted.
  bool IsTwin = false;
  /// Not a function: an alias named by the rules' callback_types (id
  /// "callback:<name>"), whose targets form a family. Its one DeclFact
  /// anchors the result type of the alias's function type.
  bool IsCallbackType = false;
  /// A callback type no rule named: a std::function alias declared under
  /// the paths, or a std::function type written inline in the paths'
  /// declarations (id "callback:" and the type), one DeclFact per place it
  /// is written. It converts as a family only where the tool saw every
  /// value stored in it come from the paths (settleAutomaticFamilies);
  /// otherwise its members keep facades, as any stored function does.
  bool AutoCallbackType = false;
  /// An automatic family of a type written inline: its places are in the
  /// declarations of SlotOwners, so a copy of their text (a twin, a split
  /// function's plain half) would keep the old type.
  bool WrittenInline = false;
  /// Functions with a parameter or result of this automatic callback
  /// type: code outside the paths that calls one would pass or get a value
  /// of the old type.
  std::vector<std::string> SlotOwners;
  bool ExternalApi = false;    ///< External linkage, declared in a header.
  bool DeclaredOutside = false; ///< A redeclaration lies outside the paths.
  /// Another declaration has the name its coroutine would take beside a
  /// facade (that declaration's qualified name, and where it is): a
  /// facade would add an overload that callers of that one could pick.
  /// Empty when the name is free or is its own coroutine's (a converted
  /// tree).
  std::string AsyncNameTaken;
  Location AsyncNameTakenAt;
  /// Virtual functions it overrides that are under the paths; the solver
  /// colours each override family as one.
  std::vector<std::string> Overrides;
  /// A virtual function it overrides that is declared outside the paths.
  std::string OverridesOutside;
  /// An explicit specialisation (`template <> int get<int>(int)`) of a
  /// function template of the paths: the id of the template's pattern.
  /// They convert as one (the specialisation must keep matching the
  /// template), under one facade, the template's.
  std::string SpecializationOf;
  /// Code outside the paths (a test's mock) that overrides a virtual of
  /// the paths: Overrides names them. Its family keeps the old signature.
  bool IsOutsideOverride = false;
  std::vector<DeclFact> Decls;
  std::vector<Anchor> Returns;  ///< "return" keywords in the definition.
  /// The names of using-declarations that name it (`detail::query` in
  /// `using detail::query;`): when a facade keeps its name, the twin's is
  /// added to each (`using detail::query, detail::query_async;`).
  std::vector<Anchor> Usings;
  bool HasLocals = false;       ///< Its body declares a variable.
  /// Its first static (or thread_local) local variable, which a copy of
  /// the body would not share.
  Location StaticLocal;
  /// The first inactive #if branch in its body that holds a call or a
  /// return: code the conversion does not see, left as written. With
  /// several units, only lines every unit skipped (InactiveLines).
  Location InactiveCode;
  std::vector<unsigned> InactiveLines;
  /// Some unit skipped such a branch (the union, where InactiveLines is
  /// the intersection): its awaits may all be in code a build leaves out,
  /// so a coroutine of it needs a `co_return` of its own.
  bool SometimesInactive = false;
  unsigned BodyOpen = 0;        ///< Offset just after the body's '{'.
  /// Where its definition may be split for a ready path.
  FastPathFact FastPath;
  std::string Problem; ///< Why its body cannot be rewritten textually, if so.

  /// Where its definition is (where the edits go, and where --check and
  /// --explain point), or its first declaration if none is seen.
  Location definitionLoc() const;
};

/// A std::mutex or std::condition_variable that code under the paths
/// uses. It becomes a vinyl::mutex / vinyl::condition_variable when a
/// coroutine holds it across an await or waits on it (solve/
/// SyncPrimitives.cpp), with every use it has rewritten (SyncUseFact).
struct SyncObjectFact {
  std::string Id;   ///< "sync:" and the variable's USR.
  std::string Name; ///< Qualified name, for messages.
  Location Loc;
  bool IsCondition = false;
  /// Its std type (`std::shared_mutex`, `std::recursive_mutex`), for messages.
  std::string StdType;
  /// The type its declaration writes (`std::mutex`), which is replaced.
  Anchor Type;
  /// Why it cannot change type (declared outside the paths, a use the
  /// rewrite does not know), and where that is.
  std::string Problem;
  Location ProblemLoc;
};

/// One use of a mutex or a condition variable, and what it becomes if the
/// object converts: the edits for a caller that is (or becomes) a
/// coroutine, `auto g = co_await vinyl::scoped_lock(m)`, and for one that
/// stays synchronous, `std::lock_guard<vinyl::mutex> g(m)`.
struct SyncUseFact {
  std::string Object; ///< SyncObjectFact::Id.
  std::string Caller; ///< Function id.
  Location Loc;
  /// A condition variable's wait: the mutex its lock holds ("" when the
  /// lock is not a variable the walk knows).
  bool IsWait = false;
  std::string Mutex;
  std::vector<TextEdit> Async, Sync;
  bool AsyncAwaits = false; ///< The Async edits write a co_await.
};

/// Something one TU shows on its own to be wrong with code that already is
/// a coroutine (a task never awaited); reported by --check.
struct Finding {
  Location Loc;
  std::string Check;   ///< "vinyl-<id>".
  std::string Message;
};

struct Facts {
  std::map<std::string, FunctionFact> Functions;
  std::vector<CallFact> Calls;
  std::map<std::string, SyncObjectFact> SyncObjects;
  std::vector<SyncUseFact> SyncUses;
  /// Leaf rule names seen matching a call, to warn about unused rules.
  std::vector<std::string> LeavesSeen;
  std::vector<Finding> Findings;
  /// Files whose contents the facts describe, for verification: main files
  /// of the TUs and the writable files they include.
  std::map<std::string, std::vector<std::string>> FilesOfTU;

  /// Folds \p Other in, de-duplicating what shared headers repeat.
  void merge(Facts &&Other);

  /// A callee id for messages: the leaf's name, or the function's
  /// qualified name.
  std::string displayName(llvm::StringRef Id) const;
  /// Whether some function is an explicit specialisation of \p Id.
  bool hasSpecializations(llvm::StringRef Id) const;
};

/// Whether a callee id names a rules leaf ("leaf:<name>").
inline bool isLeafId(llvm::StringRef Id) { return Id.starts_with("leaf:"); }
/// The id of a callback type alias: "callback:" and its qualified name.
inline bool isCallbackId(llvm::StringRef Id) {
  return Id.starts_with("callback:");
}

} // namespace vinyl

#endif
