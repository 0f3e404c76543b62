// Each extraction facet on its own, the way clang-tidy's utilities are
// tested: a few lines of code, one walk with only the facets under test,
// and the facts they record. A facet that annotates calls (hazards,
// misuse) runs after the call-sites facet that records them.
#include "ExtractContext.h"
#include "vinyl-asyncify/extract/ParallelTool.h"

#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "gtest/gtest.h"

using namespace vinyl;
using namespace vinyl::extract;

namespace {

using Maker = std::unique_ptr<Facet> (*)(ExtractContext &);

/// What the facets recorded, and the code they saw.
struct Walk {
  Facts F;
  std::string Code;

  const FunctionFact *fn(llvm::StringRef Name) const {
    for (const auto &[Id, Fn] : F.Functions)
      if (Fn.Name == Name)
        return &Fn;
    return nullptr;
  }
  std::vector<const CallFact *> calls(CallKind Kind) const {
    std::vector<const CallFact *> Out;
    for (const CallFact &C : F.Calls)
      if (C.Kind == Kind)
        Out.push_back(&C);
    return Out;
  }
  /// The text an anchor covers.
  std::string at(const Anchor &A) const {
    return Code.substr(A.Offset, A.Length);
  }
};

Config testConfig() {
  Config C;
  C.Leaves.push_back({"read", "vinyl::io::read", "test"});
  SpawnRule Thread;
  Thread.Type = "std::thread";
  Thread.Detach = "detach";
  Thread.Replacement = "vinyl::spawn";
  Thread.Join = "join";
  Thread.HandleMembers = {"joinable"};
  Thread.HandleType = "vinyl::join_handle";
  C.Spawns.push_back(Thread);
  C.CallbackTypes.push_back("Handler");
  return C;
}

/// Walks \p Code (src/input.cpp under a temporary directory; src/ is the
/// paths) with the facets \p Makers, in that order. \p Outside is the
/// header "outside.h", in a directory beside src/: code that is not the
/// project's, as the standard library is not.
Walk walk(llvm::StringRef Code, std::initializer_list<Maker> Makers,
          llvm::StringRef Outside = "") {
  Walk W;
  W.Code = Code.str();
  llvm::SmallString<128> Dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("vinyl-facet", Dir));
  std::string Src = (Dir + "/src").str(), Inc = (Dir + "/include").str();
  llvm::sys::fs::create_directories(Src);
  llvm::sys::fs::create_directories(Inc);
  std::string File = Src + "/input.cpp";
  {
    // The path check needs the files on disk; the AST is built in memory.
    std::error_code EC;
    llvm::raw_fd_ostream(File, EC) << Code;
    llvm::raw_fd_ostream(Inc + "/outside.h", EC) << Outside;
  }
  std::vector<std::string> Args = {"-std=c++20", "-w", "-I" + Inc};
  llvm::append_range(Args, extraCompilerArgs(VINYL_TEST_RUNTIME_INCLUDE));
  auto AST = clang::tooling::buildASTFromCodeWithArgs(Code, Args, File);
  EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
  auto Paths = PathSet::create({Src});
  Config C = testConfig();
  ExtractOptions Opts;
  Opts.Cfg = &C;
  Opts.Writable = &*Paths;
  ExtractContext X(AST->getASTContext(), Opts, W.F);
  std::vector<std::unique_ptr<Facet>> Facets;
  for (Maker Make : Makers) {
    Facets.push_back(Make(X));
    X.Facets.push_back(Facets.back().get());
  }
  traverse(X);
  llvm::sys::fs::remove_directories(Dir);
  return W;
}

// ---- declarations and anchors ----

TEST(DeclarationsFacetTest, AnchorsReturnTypeNameReturnsAndForwarding) {
  Walk W = walk("struct Big { Big(); Big(const Big &); ~Big(); };\n"
                "const int &pick(const int &a, Big b) { return a; }\n",
                {makeDeclarationsFacet});
  const FunctionFact *Pick = W.fn("pick");
  ASSERT_TRUE(Pick);
  ASSERT_EQ(Pick->Decls.size(), 1u);
  const DeclFact &D = Pick->Decls[0];
  EXPECT_EQ(W.at(D.ReturnType), "const int &");
  EXPECT_EQ(D.Result, "const int &");
  EXPECT_EQ(W.at(D.Name), "pick");
  EXPECT_EQ(D.ForwardArgs, "a, std::move(b)");
  EXPECT_TRUE(D.IsDefinition);
  ASSERT_EQ(Pick->Returns.size(), 1u);
  EXPECT_EQ(W.at(Pick->Returns[0]), "return");
}

TEST(DeclarationsFacetTest, SpellsADeducedReturnType) {
  Walk W = walk("namespace n { struct R {}; }\n"
                "auto make() { return n::R{}; }\n",
                {makeDeclarationsFacet});
  ASSERT_TRUE(W.fn("make"));
  EXPECT_EQ(W.fn("make")->Decls[0].Result, "n::R");
  EXPECT_EQ(W.at(W.fn("make")->Decls[0].ReturnType), "auto");
}

TEST(DeclarationsFacetTest, LambdaWithoutParametersGetsInsertionPoints) {
  Walk W = walk("int outer() { auto l = [] { return 1; }; return l(); }\n",
                {makeDeclarationsFacet});
  const FunctionFact *L = W.fn("lambda in outer()");
  ASSERT_TRUE(L);
  EXPECT_TRUE(L->IsLambda);
  const DeclFact &D = L->Decls[0];
  EXPECT_TRUE(D.InsertReturn);
  EXPECT_EQ(D.Result, "int");
  EXPECT_EQ(D.AddParens.Length, 0u);
  EXPECT_EQ(W.Code[D.AddParens.Offset - 1], ']');
  EXPECT_EQ(D.FacadeProblem, "it is a lambda");
  EXPECT_TRUE(W.fn("outer")->HasLocals);
}

TEST(DeclarationsFacetTest, MainThatMayFallOffItsEndIsMarked) {
  Walk Falls = walk("int f();\n"
                    "int main() { if (f()) return 1; }\n",
                    {makeDeclarationsFacet});
  ASSERT_TRUE(Falls.fn("main"));
  EXPECT_TRUE(Falls.fn("main")->Decls[0].FallsOffEnd);
  Walk Returns = walk("int f();\n"
                      "int main() { if (f()) { return 1; } else return 0; }\n",
                      {makeDeclarationsFacet});
  ASSERT_TRUE(Returns.fn("main"));
  EXPECT_FALSE(Returns.fn("main")->Decls[0].FallsOffEnd);
}

// ---- call sites ----

TEST(CallsFacetTest, MemberOfAResultNeedsParenthesesAndConditionsAreKnown) {
  Walk W = walk("struct S { int m; };\n"
                "S get();\n"
                "bool ready();\n"
                "int f() { if (ready()) return get().m; return 0; }\n",
                {makeCallsFacet});
  std::vector<const CallFact *> Calls = W.calls(CallKind::Direct);
  ASSERT_EQ(Calls.size(), 2u);
  EXPECT_EQ(W.at(Calls[0]->CalleeName), "ready");
  EXPECT_TRUE(Calls[0]->InCondition);
  EXPECT_FALSE(Calls[0]->NeedsParens);
  EXPECT_EQ(W.at(Calls[1]->Call), "get()");
  EXPECT_TRUE(Calls[1]->NeedsParens);
  EXPECT_FALSE(Calls[1]->InCondition);
}

TEST(CallsFacetTest, LeafDeclaredUnderThePathsIsDecidedAfterMerging) {
  Walk W = walk("extern \"C\" long read(int, void *, unsigned long);\n"
                "int get(int fd) { char c; return read(fd, &c, 1); }\n",
                {makeCallsFacet});
  ASSERT_EQ(W.F.Calls.size(), 1u);
  const CallFact &C = W.F.Calls[0];
  EXPECT_EQ(C.LeafName, "read");
  EXPECT_EQ(W.at(C.LeafCallee), "read");
  EXPECT_FALSE(isLeafId(C.Callee)); // until resolveLeaves
  EXPECT_EQ(W.F.LeavesSeen, std::vector<std::string>{"read"});
}

TEST(CallsFacetTest, ConstructorsOfThePathsAreImplicitCalls) {
  Walk W = walk("struct Conn { Conn(int); };\n"
                "void open() { Conn c(3); }\n",
                {makeCallsFacet});
  std::vector<const CallFact *> Implicit = W.calls(CallKind::Implicit);
  ASSERT_EQ(Implicit.size(), 1u);
  EXPECT_EQ(Implicit[0]->Loc.Line, 2u);
  EXPECT_EQ(W.F.Calls.size(), 1u);
}

// ---- callables ----

TEST(CallablesFacetTest, AddressTakenButNotACalleeOrACalledClosure) {
  Walk W = walk("int g();\n"
                "void f() {\n"
                "  g();\n"
                "  auto call = [] { return g(); };\n"
                "  call();\n"
                "  int (*p)() = &g;\n"
                "  auto copy = call;\n"
                "  (void)p; (void)copy;\n"
                "}\n",
                {makeDeclarationsFacet, makeCallablesFacet});
  // `int (*)()` written inline is a callback family of its own, whose
  // value `(void)p` uses: that use is the family's, not a function's.
  std::vector<const CallFact *> Taken;
  for (const CallFact *C : W.calls(CallKind::AddressTaken))
    if (!llvm::StringRef(C->Callee).starts_with("callback:"))
      Taken.push_back(C);
  ASSERT_EQ(Taken.size(), 2u);
  EXPECT_EQ(W.at(Taken[0]->Call), "g");
  EXPECT_EQ(Taken[0]->Loc.Line, 6u);
  // The closure copied on line 7 escapes; calling it on line 5 does not.
  EXPECT_EQ(Taken[1]->Loc.Line, 7u);
  EXPECT_EQ(Taken[1]->Callee, W.fn("lambda in f()")->Id);
}

TEST(CallablesFacetTest, CallbackTypeAliasItsMembersAndCallsThroughIt) {
  Walk W = walk("using Handler = int (*)(int);\n"
                "int echo(int x);\n"
                "int run(Handler h) { return h(1); }\n"
                "int main() { Handler h = echo; return run(h); }\n",
                {makeDeclarationsFacet, makeCallablesFacet});
  const FunctionFact *Alias = W.fn("Handler");
  ASSERT_TRUE(Alias);
  EXPECT_TRUE(Alias->IsCallbackType);
  EXPECT_EQ(W.at(Alias->Decls[0].ReturnType), "int");
  std::vector<const CallFact *> Stored = W.calls(CallKind::AddressTaken);
  ASSERT_EQ(Stored.size(), 1u);
  EXPECT_EQ(Stored[0]->CallbackType, "callback:Handler");
  EXPECT_EQ(W.at(Stored[0]->CalleeName), "echo");
  std::vector<const CallFact *> Through = W.calls(CallKind::Direct);
  ASSERT_EQ(Through.size(), 1u);
  EXPECT_EQ(Through[0]->Callee, "callback:Handler");
  EXPECT_EQ(W.at(Through[0]->Call), "h(1)");
}

TEST(CallablesFacetTest, FunctionObjectHandedToUnconvertedCode) {
  Walk W = walk("#include \"outside.h\"\n"
                "struct Drain { void operator()() const; };\n"
                "void go() { later(Drain{}); }\n",
                {makeCallablesFacet}, "template <class F> void later(F f);\n");
  std::vector<const CallFact *> Taken = W.calls(CallKind::AddressTaken);
  ASSERT_EQ(Taken.size(), 1u);
  EXPECT_EQ(Taken[0]->Problem,
            "it is handed to 'later', which calls it without awaiting");
}

// ---- threads ----

constexpr const char *ThreadMock =
    "namespace std { struct thread {\n"
    "  template <class F, class... A> explicit thread(F &&f, A &&...a);\n"
    "  thread(thread &&);\n"
    "  void join(); void detach(); bool joinable() const;\n"
    "}; }\n";

TEST(ThreadsFacetTest, DetachedTemporaryBecomesASpawn) {
  std::string Code = std::string(ThreadMock) +
                     "void work(int);\n"
                     "void start() { std::thread(work, 1).detach(); }\n";
  Walk W = walk(Code, {makeThreadsFacet});
  std::vector<const CallFact *> Spawns = W.calls(CallKind::Spawn);
  ASSERT_EQ(Spawns.size(), 1u);
  const CallFact &S = *Spawns[0];
  EXPECT_EQ(S.Problem, "");
  EXPECT_EQ(S.SpawnWith, "vinyl::spawn");
  EXPECT_EQ(W.at(S.CalleeName), "work");
  ASSERT_EQ(S.SpawnEdits.size(), 2u);
  EXPECT_EQ(W.at(S.SpawnEdits[0].Where), "std::thread");
  EXPECT_EQ(S.SpawnEdits[0].Text, "vinyl::spawn");
  EXPECT_EQ(W.at(S.SpawnEdits[1].Where), ".detach()");
  EXPECT_EQ(S.SpawnEdits[1].Text, "");
}

TEST(ThreadsFacetTest, JoinedLocalAndAUseTheHandleLacks) {
  std::string Code = std::string(ThreadMock) +
                     "void work(int);\n"
                     "void keep(std::thread &);\n"
                     "void start() {\n"
                     "  std::thread t(work, 1);\n"
                     "  if (t.joinable()) t.join();\n"
                     "  keep(t);\n"
                     "}\n";
  Walk W = walk(Code, {makeThreadsFacet});
  std::vector<const CallFact *> Spawns = W.calls(CallKind::Spawn);
  std::vector<const CallFact *> Joins = W.calls(CallKind::Join);
  ASSERT_EQ(Spawns.size(), 1u);
  ASSERT_EQ(Joins.size(), 1u);
  EXPECT_EQ(Joins[0]->Callee, Spawns[0]->Callee);
  EXPECT_EQ(Spawns[0]->Problem,
            "'t' is used at line 11 other than by calling join(), joinable()");
}

TEST(ThreadsFacetTest, ContainerOfThreadsHoldsHandles) {
  std::string Code = std::string(ThreadMock) +
                     "template <class T> struct vector {\n"
                     "  template <class... A> T &emplace_back(A &&...a);\n"
                     "  T *begin(); T *end();\n"
                     "};\n"
                     "void work(int);\n"
                     "void start() {\n"
                     "  vector<std::thread> ts;\n"
                     "  ts.emplace_back(work, 1);\n"
                     "  for (std::thread &t : ts) t.join();\n"
                     "}\n";
  Walk W = walk(Code, {makeThreadsFacet});
  std::vector<const CallFact *> Spawns = W.calls(CallKind::Spawn);
  ASSERT_EQ(Spawns.size(), 1u);
  EXPECT_EQ(Spawns[0]->Problem, "");
  std::vector<std::string> Edits;
  for (const TextEdit &E : Spawns[0]->SpawnEdits)
    Edits.push_back(W.at(E.Where) + "->" + E.Text);
  EXPECT_EQ(Edits, (std::vector<std::string>{
                       "->vinyl::spawn(", "->)", "std::thread->vinyl::join_handle",
                       "std::thread->vinyl::join_handle"}));
  ASSERT_EQ(W.calls(CallKind::Join).size(), 1u);
  EXPECT_EQ(W.calls(CallKind::Join)[0]->Callee, Spawns[0]->Callee);
}

// ---- compiler hazards ----

/// A lowering's text, each source piece as written (without edits).
static std::string lowered(const Walk &W, const Lowering &L) {
  std::string Out;
  for (const LoweredPiece &P : L.Pieces)
    Out += P.Source.File.empty() ? P.Text : W.at(P.Source);
  return Out;
}

TEST(HazardsFacetTest, SkippableOperandLoweredOrRefusedAndAWhileRewritten) {
  Walk W = walk("bool more();\n"
                "void note(bool, bool);\n"
                "bool f(bool b) { return b && more(); }\n"
                "void g(bool b) { while (b && more()) b = !b; }\n"
                "void h(bool b) { note(b && more(), b || more()); }\n",
                {makeCallsFacet, makeHazardsFacet});
  ASSERT_EQ(W.F.Calls.size(), 5u);
  const CallFact &Return = W.F.Calls[0];
  EXPECT_EQ(Return.Problem, "");
  ASSERT_EQ(Return.Lowerings.size(), 1u);
  EXPECT_EQ(W.at(Return.Lowerings[0].Whole), "return b && more();");
  EXPECT_EQ(lowered(W, Return.Lowerings[0]),
            "{ if (b) { return more(); } else { return false; } }");
  const CallFact &Loop = W.F.Calls[1];
  EXPECT_EQ(Loop.Problem, "");
  ASSERT_EQ(Loop.AwaitEdits.size(), 3u);
  EXPECT_EQ(Loop.AwaitEdits[0].Text, "true) { if (!(");
  EXPECT_EQ(Loop.AwaitEdits[1].Text, ")) break;");
  EXPECT_EQ(Loop.AwaitEdits[2].Text, " }");
  for (size_t I : {3u, 4u})
    EXPECT_NE(W.F.Calls[I].Problem.find("two such operators side by side"),
              std::string::npos)
        << W.F.Calls[I].Problem;
}

TEST(HazardsFacetTest, InitializerListRefusedAndClassTemporaryOfConditionalLowered) {
  Walk W = walk("#include <initializer_list>\n"
                "#include \"outside.h\"\n"
                "int get();\n"
                "void sink(std::initializer_list<int>);\n"
                "void put(Str);\n"
                "void f(bool c) { sink({get(), 2}); put(c ? Str(\"a\") : "
                "\"b\"); }\n",
                {makeCallsFacet, makeHazardsFacet},
                "struct Str { Str(const char *); ~Str(); };\n");
  ASSERT_EQ(W.F.Calls.size(), 3u);
  EXPECT_EQ(W.F.Calls[1].Problem,
            "it is in a braced initializer list, where g++ 12 cannot compile "
            "co_await; hoist it into a variable");
  ASSERT_EQ(W.F.Calls[2].Lowerings.size(), 1u);
  EXPECT_EQ(lowered(W, W.F.Calls[2].Lowerings[0]),
            "{ if (c) { put(Str(\"a\")); } else { "
            "put(static_cast<Str>(\"b\")); } }");
}

// ---- coroutine misuse ----

// ---- mutexes and condition variables ----

TEST(SyncFacetTest, LockHeldAtACallUntilItsBlockEnds) {
  Walk W = walk("#include \"outside.h\"\n"
                "std::mutex m;\n"
                "int get();\n"
                "void f() {\n"
                "  { std::lock_guard<std::mutex> g(m); get(); }\n"
                "  get();\n"
                "}\n",
                {makeSyncFacet, makeCallsFacet},
                "namespace std { struct mutex {};\n"
                "template <class M> struct lock_guard {\n"
                "  explicit lock_guard(M &); ~lock_guard(); }; }\n");
  ASSERT_EQ(W.F.Calls.size(), 2u);
  EXPECT_EQ(W.F.Calls[0].HeldLock, "'g' (std::lock_guard, line 5)");
  EXPECT_EQ(W.F.Calls[1].HeldLock, "");
  // The mutex, and the lock's edits for a coroutine and for synchronous
  // code.
  ASSERT_EQ(W.F.SyncObjects.size(), 1u);
  const SyncObjectFact &M = W.F.SyncObjects.begin()->second;
  EXPECT_EQ(M.Name, "m");
  EXPECT_EQ(M.Problem, "");
  EXPECT_EQ(M.Type.Length, 10u); // std::mutex
  ASSERT_EQ(W.F.Calls[0].HeldMutexes.size(), 1u);
  EXPECT_EQ(W.F.Calls[0].HeldMutexes[0], M.Id);
  ASSERT_EQ(W.F.SyncUses.size(), 1u);
  const SyncUseFact &U = W.F.SyncUses[0];
  ASSERT_EQ(U.Async.size(), 1u);
  EXPECT_EQ(U.Async[0].Text, "auto g = co_await vinyl::scoped_lock(m)");
  EXPECT_TRUE(U.AsyncAwaits);
  ASSERT_EQ(U.Sync.size(), 1u);
  EXPECT_EQ(U.Sync[0].Text, "vinyl::mutex");
}

TEST(SyncFacetTest, AddressPassedOnKeepsTheMutex) {
  Walk W = walk("#include \"outside.h\"\n"
                "std::mutex m;\n"
                "void touch(std::mutex *);\n"
                "void f() { touch(&m); }\n",
                {makeSyncFacet},
                "namespace std { struct mutex {}; }\n");
  ASSERT_EQ(W.F.SyncObjects.size(), 1u);
  EXPECT_EQ(W.F.SyncObjects.begin()->second.Problem,
            "it is used here in a way the rewrite does not follow");
  EXPECT_EQ(W.F.SyncObjects.begin()->second.ProblemLoc.Line, 4u);
}

// A mutex locked by a call of its own is held from there until an
// unlock written as a statement of the same block (one nested in an `if`
// may not run), or else until the block ends.
TEST(SyncFacetTest, PlainLockHeldUntilAnUnlockOfItsBlock) {
  Walk W = walk("#include \"outside.h\"\n"
                "std::mutex m;\n"
                "int get();\n"
                "void f(bool b) {\n"
                "  m.lock();\n"
                "  get();\n"
                "  if (b) { m.unlock(); get(); }\n"
                "  m.unlock();\n"
                "  get();\n"
                "  { m.lock(); }\n"
                "  get();\n"
                "}\n",
                {makeSyncFacet, makeCallsFacet},
                "namespace std { struct mutex { void lock(); void unlock(); "
                "}; }\n");
  ASSERT_EQ(W.F.Calls.size(), 4u);
  EXPECT_EQ(W.F.Calls[0].HeldLock, "on 'm' (lock(), line 5)");
  EXPECT_EQ(W.F.Calls[1].HeldLock, "on 'm' (lock(), line 5)");
  EXPECT_EQ(W.F.Calls[2].HeldLock, "");
  EXPECT_EQ(W.F.Calls[3].HeldLock, "");
  ASSERT_EQ(W.F.SyncObjects.size(), 1u);
  const SyncObjectFact &M = W.F.SyncObjects.begin()->second;
  EXPECT_EQ(M.StdType, "std::mutex");
  EXPECT_EQ(M.Problem, "");
  ASSERT_EQ(W.F.Calls[1].HeldMutexes.size(), 1u);
  EXPECT_EQ(W.F.Calls[1].HeldMutexes[0], M.Id);
  // Each lock() is awaited in a coroutine.
  ASSERT_EQ(W.F.SyncUses.size(), 2u);
  ASSERT_EQ(W.F.SyncUses[0].Async.size(), 2u);
  EXPECT_EQ(W.F.SyncUses[0].Async[0].Text, "co_await ");
  EXPECT_EQ(W.F.SyncUses[0].Async[1].Text, "lock_async");
}

// A recursive mutex is held like any other, but has a Problem: it stays
// std, and the lock warning says why.
TEST(SyncFacetTest, RecursiveMutexIsHeldButStaysStd) {
  Walk W = walk("#include \"outside.h\"\n"
                "std::recursive_mutex r;\n"
                "int get();\n"
                "void f() {\n"
                "  std::lock_guard<std::recursive_mutex> g(r);\n"
                "  get();\n"
                "}\n",
                {makeSyncFacet, makeCallsFacet},
                "namespace std { struct recursive_mutex {};\n"
                "template <class M> struct lock_guard {\n"
                "  explicit lock_guard(M &); ~lock_guard(); }; }\n");
  ASSERT_EQ(W.F.SyncObjects.size(), 1u);
  const SyncObjectFact &R = W.F.SyncObjects.begin()->second;
  EXPECT_EQ(R.StdType, "std::recursive_mutex");
  EXPECT_TRUE(llvm::StringRef(R.Problem).starts_with(
      "a std::recursive_mutex may be locked again"));
  ASSERT_EQ(W.F.Calls.size(), 1u);
  EXPECT_EQ(W.F.Calls[0].HeldLock, "'g' (std::lock_guard, line 5)");
  ASSERT_EQ(W.F.Calls[0].HeldMutexes.size(), 1u);
  EXPECT_EQ(W.F.Calls[0].HeldMutexes[0], R.Id);
  EXPECT_TRUE(W.F.SyncUses.empty());
}

TEST(MisuseFacetTest, TaskDroppedOrStoredAndNeverAwaited) {
  Walk W = walk("#include <vinyl/vinyl.hpp>\n"
                "vinyl::task<int> get();\n"
                "vinyl::task<int> f() {\n"
                "  get();\n"
                "  auto kept = get();\n"
                "  auto used = get();\n"
                "  co_return co_await std::move(used);\n"
                "}\n",
                {makeMisuseFacet});
  ASSERT_EQ(W.F.Findings.size(), 2u);
  EXPECT_EQ(W.F.Findings[0].Loc.Line, 4u);
  EXPECT_NE(W.F.Findings[0].Message.find("discarded without co_await"),
            std::string::npos);
  EXPECT_EQ(W.F.Findings[1].Loc.Line, 5u);
  EXPECT_NE(W.F.Findings[1].Message.find("stored in 'kept'"),
            std::string::npos);
}

} // namespace
