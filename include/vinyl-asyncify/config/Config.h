//===- Config.h - Rules files and project configuration --------*- C++ -*-===//
//
// One schema serves the bundled rules (rules/*.yaml), --rules files and a
// project's .vinyl.yaml: blocking leaves with their awaitable replacements,
// plus policy (facades, naming, task type). Files are parsed one at a time
// and merged in order, later files refining earlier ones, the way
// include-cleaner merges its mapping files.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_CONFIG_CONFIG_H
#define VINYL_ASYNCIFY_CONFIG_CONFIG_H

#include "vinyl-asyncify/config/Compiler.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace vinyl {

/// A blocking function and the awaitable that replaces it.
struct LeafRule {
  std::string Name;        ///< Qualified name, no leading "::" ("read").
  std::string Replacement; ///< Awaitable callee ("vinyl::io::read").
  std::string Origin;      ///< "file:line" of the rule, for diagnostics.
  /// The header that declares Replacement, with its delimiters
  /// ("<vinyl/offload.hpp>"), included by the files whose calls use it;
  /// empty when the task header declares it.
  std::string Header;
  /// No awaitable exists: the call itself is offloaded to a worker thread
  /// in async mode (`co_await vinyl::offload([&]() -> decltype(auto) {
  /// return f(a); })`), made in place in blocking mode. Replacement is
  /// empty and Header is the offload header.
  bool Offload = false;
};

/// How an offloaded leaf's call `f(a)` is written:
/// OffloadOpen + `f(a)` + OffloadClose, an argument of OffloadFunction.
inline constexpr llvm::StringLiteral OffloadFunction = "vinyl::offload";
inline constexpr llvm::StringLiteral OffloadOpen =
    "vinyl::offload([&]() -> decltype(auto) { return ";
inline constexpr llvm::StringLiteral OffloadClose = "; })";

/// A way to start a thread that becomes a spawned task when its callable
/// reaches I/O: a temporary of Type, constructed with a callable and its
/// arguments and detached at once (`std::thread(f, a).detach()`), becomes
/// `Replacement(f', a)`; a local of Type (`std::thread t(f, a)`) becomes
/// `auto t = Replacement(f', a)`, the handle Replacement returns, and each
/// `t.<Join>()` is awaited. With a HandleType, a local container of them
/// (`std::vector<std::thread> ts; ts.emplace_back(f, a);`) holds handles
/// instead (`std::vector<vinyl::join_handle> ts;
/// ts.emplace_back(vinyl::spawn(f', a));`).
struct SpawnRule {
  std::string Type;        ///< Qualified class name ("std::thread").
  std::string Detach;      ///< The member that detaches it ("detach").
  std::string Replacement; ///< Starts a task ("vinyl::spawn").
  /// The member that joins it ("join"); the handle's member of that name
  /// returns the task to await. Empty: joined threads are not converted.
  std::string Join;
  /// Other members the handle has too, so calls of them stay as written
  /// ("joinable"). Any other use of a converted local is refused.
  std::vector<std::string> HandleMembers;
  /// The type Replacement returns ("vinyl::join_handle"), spelled where a
  /// container of threads names its element type. Empty: containers of
  /// threads are not converted.
  std::string HandleType;
};

/// What happens to a function that reaches I/O but cannot be a coroutine.
enum class BlockingFallback {
  Warn,  ///< It stays synchronous, calling facades: [vinyl-blocking-fallback].
  Error, ///< It is refused, and nothing is written.
};

/// Which async functions keep their name and signature as a blocking facade.
enum class FacadePolicy {
  PublicApi, ///< Called from sync code, or external and declared in a header.
  Callers,   ///< Only those called from code that stays synchronous.
};

/// What the plain half of a split function returns (Config::FastPaths),
/// and the tag of its coroutine half.
inline constexpr llvm::StringLiteral FastTaskType = "vinyl::fast_task";
inline constexpr llvm::StringLiteral SlowTag = "vinyl::slow";

struct Config {
  std::vector<LeafRule> Leaves;
  std::vector<SpawnRule> Spawns;
  /// Qualified names of aliases of function pointer or std::function types
  /// whose targets form a family: if one reaches I/O, all become
  /// coroutines, the alias's result becomes a task, and calls through it
  /// are awaited. Any other escaping address of an async function is
  /// refused.
  std::vector<std::string> CallbackTypes;
  FacadePolicy Facades = FacadePolicy::PublicApi;
  /// Coroutine name of a function that keeps a facade; "{}" is the old name.
  std::string NameScheme = "{}_async";
  std::string TaskType = "vinyl::task";
  std::string TaskHeader = "<vinyl/vinyl.hpp>";
  std::string BlockOn = "vinyl::block_on";
  /// A function that reaches I/O but cannot become a coroutine (a
  /// constructor, a destructor, a conversion operator, a C variadic
  /// function) stays synchronous and calls blocking facades, with a
  /// warning; Error refuses it instead.
  BlockingFallback Fallback = BlockingFallback::Warn;
  /// Constructors and destructors fall back with a warning even when
  /// Fallback is Error.
  bool AllowBlockingConstructors = false;
  /// Each converted function also keeps its body as it was, a synchronous
  /// twin `R f(vinyl::twin_t, P...)`, which its facade runs in blocking
  /// mode: converted code then costs what the original did there.
  bool Twins = false;
  /// `main` stays synchronous, calling blocking facades, instead of
  /// becoming the facade over `main_async` when it reaches I/O. Unset, it
  /// follows Twins: a converted `main` would run every call as a coroutine
  /// in blocking mode too, where with twins the facades it calls run the
  /// original bodies (and `main` itself cannot have a twin: it cannot be
  /// overloaded).
  std::optional<bool> SyncMain;
  bool syncMain() const { return SyncMain.value_or(Twins); }
  /// A converted function whose waits all sit behind one cold guard (a
  /// buffer's refill) is split into a plain half returning
  /// vinyl::fast_task<T>, ready without a coroutine frame where the guard
  /// is false, and its coroutine, `task<T> f(vinyl::slow_t, P...)`.
  bool FastPaths = false;
  /// std::function aliases declared under the paths and std::function
  /// types written inline form callback families without a rule, where
  /// that is safe (settleAutomaticFamilies); false keeps only the families
  /// callback_types names.
  bool AutomaticCallbackTypes = true;
  /// What the converted code is built with: the g++ workarounds are
  /// written only for g++ (or a compiler not known).
  TargetCompiler Compiler;
  /// Compiler was named by a file, not found in the compile database.
  bool CompilerFromFile = false;
  /// Bundled packs (rules/<name>.yaml) a file switched off, with that
  /// file: their leaves are dropped once every file is merged.
  std::vector<std::pair<std::string, std::string>> DisabledPacks;

  const LeafRule *findLeaf(llvm::StringRef QualifiedName) const;
  const SpawnRule *findSpawn(llvm::StringRef QualifiedType) const;
  /// The rule whose awaitable replacement is \p QualifiedName.
  const LeafRule *findReplacement(llvm::StringRef QualifiedName) const;
  std::string asyncName(llvm::StringRef Name) const;
};

/// One parsed file, before merging. Absent scalars leave the merged value.
struct ConfigFile {
  std::string Path;
  std::vector<LeafRule> Leaves;
  std::vector<std::string> RemoveLeaves;
  std::vector<std::string> DisablePacks;
  std::vector<SpawnRule> Spawns;
  std::vector<std::string> CallbackTypes;
  std::vector<std::string> Includes; ///< Further rules files, resolved.
  std::optional<FacadePolicy> Facades;
  std::optional<std::string> NameScheme, TaskType, TaskHeader, BlockOn;
  std::optional<bool> AllowBlockingConstructors;
  std::optional<BlockingFallback> Fallback;
  std::optional<bool> Twins;
  std::optional<bool> SyncMain;
  std::optional<bool> FastPaths;
  std::optional<bool> AutomaticCallbackTypes;
  std::optional<TargetCompiler> Compiler;
};

/// Parses one rules or config file; errors carry "file:line:col: ...".
llvm::Expected<ConfigFile> parseConfigFile(llvm::StringRef Path,
                                           llvm::StringRef Text);

/// Reads, parses and merges the files in order, following their `rules:`
/// includes; the result is validated (non-empty names, a "{}" in the scheme).
llvm::Expected<Config> loadConfig(llvm::ArrayRef<std::string> Paths);

/// The nearest .vinyl.yaml in \p Dir or a parent, or "" if none.
std::string findProjectConfig(llvm::StringRef Dir);

} // namespace vinyl

#endif
