// The facts file round trip the CLI and vinyl-needs-async rely on: a solve
// written out and read back keeps its verdicts, and the ids in it are the
// ones CallSites' functionId gives the same declarations, so the clang-tidy
// check finds a function the whole-program solve made async.
#include "vinyl-asyncify/report/FactsFile.h"
#include "vinyl-asyncify/extract/CallSites.h"
#include "vinyl-asyncify/extract/Extract.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "gtest/gtest.h"

using namespace vinyl;
using namespace clang::ast_matchers;

namespace {

TEST(FactsFileTest, SolveRoundTripsWithIdsOfFunctionId) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("vinyl-unit", Dir));
  std::string File = (Dir + "/input.cpp").str();
  std::error_code EC;
  llvm::raw_fd_ostream(File, EC) << "";
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      "typedef long ssize_t;\n"
      "extern \"C\" ssize_t read(int, void *, unsigned long);\n"
      "namespace io { int get(int fd) { char c; read(fd, &c, 1); return c; } "
      "}\n"
      "int get(double) { return 0; }\n"
      "int load(int fd) { return io::get(fd) + 1; }\n"
      "int main() { return load(0); }\n",
      {"-std=c++20"}, File);
  auto Paths = PathSet::create({std::string(Dir)});
  ASSERT_TRUE(bool(Paths));
  Config C;
  C.Leaves.push_back({"read", "vinyl::io::read", "test"});
  ExtractOptions Opts;
  Opts.Cfg = &C;
  Opts.Writable = &*Paths;
  Facts F = extractFromAST(AST->getASTContext(), Opts);
  resolveLeaves(F); // `read` is declared in the input, defined nowhere
  settleAutomaticFamilies(F, C);
  Solution S = solve(F, C);
  llvm::sys::fs::remove_directories(Dir);

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeFactsFile(OS, makeFactsFile(F, S));
  auto Read = parseFactsFile("facts.yaml", Text);
  ASSERT_TRUE(bool(Read)) << llvm::toString(Read.takeError());

  auto IdOf = [&](llvm::StringRef Name) {
    auto Found = match(functionDecl(hasName(Name), isDefinition()).bind("f"),
                       AST->getASTContext());
    EXPECT_EQ(Found.size(), 1u) << Name.str();
    return functionId(*Found[0].getNodeAs<clang::FunctionDecl>("f"));
  };
  const AsyncVerdict *Load = Read->findAsync(IdOf("::load"), "load");
  ASSERT_NE(Load, nullptr) << Text;
  EXPECT_FALSE(Load->Facade); // main, its caller, becomes main_async.
  ASSERT_EQ(Load->Why.size(), 2u) << Text;
  EXPECT_EQ(Load->Why[0].Message, "'load' calls 'io::get' here");
  EXPECT_EQ(Load->Why[0].Loc.Line, 5u);
  EXPECT_EQ(Load->Why[1].Message, "'io::get' calls 'read' here");
  EXPECT_NE(Read->findAsync(IdOf("::io::get"), "io::get"), nullptr);
  // The namesake overload stays synchronous; main keeps a facade.
  EXPECT_EQ(Read->findAsync(IdOf("::get"), "get"), nullptr);
  const AsyncVerdict *Main = Read->findAsync(IdOf("::main"), "main");
  ASSERT_NE(Main, nullptr) << Text;
  EXPECT_TRUE(Main->Facade);
}

TEST(FactsFileTest, ErrorsAreLocated) {
  auto Read = parseFactsFile("facts.yaml", "functions:\n  - { async: true }\n");
  ASSERT_FALSE(bool(Read));
  EXPECT_EQ(llvm::toString(Read.takeError()),
            "facts.yaml:2:7: error: missing required key 'name'");
}

TEST(FactsFileTest, NameOnlyEntriesMatchByQualifiedName) {
  auto Read = parseFactsFile("facts.yaml", "functions:\n"
                                           "  - { name: '::a::f' }\n"
                                           "  - { name: g, async: false }\n");
  ASSERT_TRUE(bool(Read));
  EXPECT_NE(Read->findAsync("c:@N@a@F@f#", "a::f"), nullptr);
  EXPECT_EQ(Read->findAsync("c:@F@g#", "g"), nullptr);
}

} // namespace

// A header's call seen by two units, one of which saw it as the argument
// of a block_on (a template's facade, instantiated there) and one not: the
// merged call is the wait, whichever unit came first.
TEST(FactsMergeTest, OneCallSeenByTwoUnitsKeepsWhatEitherSaw) {
  auto Unit = [](bool BlockedOn) {
    Facts F;
    CallFact C;
    C.Caller = "facade";
    C.Callee = "twin";
    C.Call = {"/h.hpp", 120, 14};
    C.BlockedOn = BlockedOn;
    F.Calls.push_back(C);
    return F;
  };
  Facts First = Unit(false);
  First.merge(Unit(true));
  ASSERT_EQ(First.Calls.size(), 1u);
  EXPECT_TRUE(First.Calls[0].BlockedOn);
  Facts Other = Unit(true);
  Other.merge(Unit(false));
  ASSERT_EQ(Other.Calls.size(), 1u);
  EXPECT_TRUE(Other.Calls[0].BlockedOn);
}
