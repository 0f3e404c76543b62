// Extraction on an in-memory TU and colouring of its facts, without the
// command line or the file system.
#include "vinyl-asyncify/extract/Extract.h"
#include "vinyl-asyncify/solve/Solve.h"

#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

using namespace vinyl;

namespace {

struct Analysis {
  Facts F;
  Solution S;

  const FunctionFact *fn(llvm::StringRef Name) const {
    for (const auto &[Id, Fn] : F.Functions)
      if (Fn.Name == Name)
        return &Fn;
    return nullptr;
  }
  bool async(llvm::StringRef Name) const {
    const FunctionFact *Fn = fn(Name);
    return Fn && S.isAsync(Fn->Id);
  }
  bool facade(llvm::StringRef Name) const {
    const FunctionFact *Fn = fn(Name);
    return Fn && S.hasFacade(Fn->Id);
  }
};

Analysis analyse(llvm::StringRef Code, bool SyncMain = false) {
  static const char *Prelude = "typedef long ssize_t;\n"
                               "extern \"C\" ssize_t read(int, void *, "
                               "unsigned long);\n";
  llvm::SmallString<128> Dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("vinyl-unit", Dir));
  std::string File = (Dir + "/input.cpp").str();
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      (Prelude + Code).str(), {"-std=c++20"}, File);
  auto Paths = PathSet::create({std::string(Dir)});
  Config C;
  C.Leaves.push_back({"read", "vinyl::io::read", "test"});
  C.SyncMain = SyncMain;
  ExtractOptions Opts;
  Opts.Cfg = &C;
  Opts.Writable = &*Paths;
  Analysis A;
  // The file must exist for the path check; the AST was built in memory.
  std::error_code EC;
  llvm::raw_fd_ostream(File, EC) << "";
  A.F = extractFromAST(AST->getASTContext(), Opts);
  // `read` is declared in the (writable) input but defined nowhere: a leaf.
  resolveLeaves(A.F);
  settleAutomaticFamilies(A.F, C);
  A.S = solve(A.F, C);
  llvm::sys::fs::remove_directories(Dir);
  return A;
}

TEST(ExtractSolveTest, ColoursCallersOfLeavesTransitively) {
  Analysis A = analyse(R"(
int leaf_user(int fd) { char c; return read(fd, &c, 1); }
int middle(int fd) { return leaf_user(fd) + 1; }
int top(int fd) { return middle(fd); }
int pure(int x) { return x * 2; }
)");
  EXPECT_TRUE(A.async("leaf_user"));
  EXPECT_TRUE(A.async("middle"));
  EXPECT_TRUE(A.async("top"));
  EXPECT_FALSE(A.async("pure"));
  EXPECT_FALSE(A.S.hasErrors());
}

TEST(ExtractSolveTest, MainBecomesTheFacadeOverMainAsync) {
  Analysis A = analyse(R"(
int get(int fd) { char c; return read(fd, &c, 1); }
int helper(int fd) { return get(fd); }
int main() { return helper(0); }
)");
  EXPECT_TRUE(A.async("main"));
  EXPECT_TRUE(A.facade("main"));
  EXPECT_FALSE(A.facade("helper")); // only async callers now
  EXPECT_FALSE(A.S.hasErrors());
}

TEST(ExtractSolveTest, SyncMainKeepsMainSyncAndItsCalleeGetsAFacade) {
  Analysis A = analyse(R"(
int get(int fd) { char c; return read(fd, &c, 1); }
int helper(int fd) { return get(fd); }
int main() { return helper(0); }
)",
                       /*SyncMain=*/true);
  EXPECT_FALSE(A.async("main"));
  EXPECT_TRUE(A.facade("helper"));
  EXPECT_FALSE(A.facade("get")); // only async callers
}

TEST(ExtractSolveTest, RecursionTerminates) {
  Analysis A = analyse(R"(
int odd(int fd, int n);
int even(int fd, int n) { return n == 0 ? (int)read(fd, nullptr, 0) : odd(fd, n - 1); }
int odd(int fd, int n) { return n == 0 ? 0 : even(fd, n - 1); }
)");
  EXPECT_TRUE(A.async("even"));
  EXPECT_TRUE(A.async("odd"));
}

TEST(ExtractSolveTest, ConstructorReachingIoFallsBackWithItsChain) {
  Analysis A = analyse(R"(
int get(int fd) { char c; return read(fd, &c, 1); }
struct Conn { int first; explicit Conn(int fd) : first(0) { first = get(fd); } };
)");
  // It stays synchronous, so get keeps a facade; a warning says why.
  ASSERT_FALSE(A.S.hasErrors());
  EXPECT_TRUE(A.async("get"));
  EXPECT_TRUE(A.facade("get"));
  EXPECT_FALSE(A.async("Conn::Conn"));
  ASSERT_EQ(A.S.Diags.size(), 1u);
  const Diagnostic &D = A.S.Diags.front();
  EXPECT_EQ(D.Severity, Diagnostic::Warning);
  EXPECT_EQ(D.Check, "vinyl-blocking-fallback");
  EXPECT_NE(D.Message.find("constructor 'Conn::Conn'"), std::string::npos)
      << D.Message;
  ASSERT_EQ(D.Notes.size(), 2u);
  EXPECT_EQ(D.Notes[0].Message, "'Conn::Conn' calls 'get' here");
  EXPECT_EQ(D.Notes[1].Message, "'get' calls 'read' here");
}

TEST(ExtractSolveTest, AnchorsPointAtTheSource) {
  Analysis A = analyse("struct R { int v; };\n"
                       "R get(int fd) { R r{}; read(fd, &r, 4); return r; }\n"
                       "int use(int fd) { return get(fd).v; }\n");
  const FunctionFact *Get = A.fn("get");
  ASSERT_NE(Get, nullptr);
  ASSERT_EQ(Get->Returns.size(), 1u);
  ASSERT_EQ(Get->Decls.size(), 1u);
  EXPECT_EQ(Get->Decls[0].Result, "R");
  bool Found = false;
  for (const CallFact &C : A.F.Calls)
    if (C.Callee == Get->Id) {
      Found = true;
      EXPECT_TRUE(C.NeedsParens); // get(fd).v
    }
  EXPECT_TRUE(Found);
}

} // namespace
