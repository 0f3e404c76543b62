// Rules and project configuration: parsing, located errors, merging.
#include "vinyl-asyncify/config/Config.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace vinyl;

namespace {

TEST(ConfigTest, ParsesLeavesAndPolicy) {
  auto F = parseConfigFile("r.yaml", R"(
leaves:
  - { name: "::fetch", replacement: "my::fetch_async" }
remove_leaves: [sleep]
name_scheme: "co_{}"
facades: { policy: callers, allow_blocking_constructors: true,
           blocking_fallback: error }
task: { type: "my::lazy", header: "<my/lazy.hpp>", block_on: "my::wait" }
)");
  ASSERT_TRUE(bool(F)) << llvm::toString(F.takeError());
  ASSERT_EQ(F->Leaves.size(), 1u);
  EXPECT_EQ(F->Leaves[0].Name, "fetch"); // leading :: dropped
  EXPECT_EQ(F->Leaves[0].Replacement, "my::fetch_async");
  EXPECT_EQ(F->RemoveLeaves, std::vector<std::string>{"sleep"});
  EXPECT_EQ(*F->NameScheme, "co_{}");
  EXPECT_EQ(*F->Facades, FacadePolicy::Callers);
  EXPECT_TRUE(*F->AllowBlockingConstructors);
  EXPECT_EQ(*F->Fallback, BlockingFallback::Error);
  EXPECT_EQ(*F->TaskType, "my::lazy");
  EXPECT_EQ(*F->TaskHeader, "<my/lazy.hpp>");
  EXPECT_EQ(*F->BlockOn, "my::wait");
}

TEST(ConfigTest, BlockingFallbackIsWarnUnlessSaid) {
  EXPECT_EQ(Config().Fallback, BlockingFallback::Warn);
  auto F = parseConfigFile("f.yaml", "facades: { blocking_fallback: maybe }\n");
  ASSERT_FALSE(bool(F));
  EXPECT_NE(llvm::toString(F.takeError()).find("f.yaml:1:"),
            std::string::npos);
}

TEST(ConfigTest, ErrorsCarryFileLineAndColumn) {
  auto F = parseConfigFile("bad.yaml", "leaves:\n  - { name: read }\n");
  ASSERT_FALSE(bool(F));
  std::string Message = llvm::toString(F.takeError());
  EXPECT_NE(Message.find("bad.yaml:2:"), std::string::npos) << Message;
  EXPECT_NE(Message.find("replacement"), std::string::npos) << Message;
}

TEST(ConfigTest, LeafHeaderIsSpeltAsInAnInclude) {
  auto F = parseConfigFile("h.yaml", R"(leaves:
  - { name: lookup, replacement: "net::lookup", header: " <net/lookup.hpp> " }
)");
  ASSERT_TRUE(bool(F)) << llvm::toString(F.takeError());
  EXPECT_EQ(F->Leaves[0].Header, "<net/lookup.hpp>");
  auto Bad = parseConfigFile("b.yaml", R"(leaves:
  - { name: lookup, replacement: "net::lookup", header: net/lookup.hpp }
)");
  ASSERT_FALSE(bool(Bad));
  std::string Message = llvm::toString(Bad.takeError());
  EXPECT_NE(Message.find("b.yaml:2:"), std::string::npos) << Message;
  EXPECT_NE(Message.find("'header' is spelt as in an #include"),
            std::string::npos)
      << Message;
}

TEST(ConfigTest, RejectsSchemeWithoutPlaceholder) {
  auto F = parseConfigFile("s.yaml", "name_scheme: async\n");
  ASSERT_FALSE(bool(F));
  EXPECT_NE(llvm::toString(F.takeError()).find("'{}'"), std::string::npos);
}

TEST(ConfigTest, UnknownKeyIsAnError) {
  auto F = parseConfigFile("u.yaml", "leafs: []\n");
  ASSERT_FALSE(bool(F));
  EXPECT_NE(llvm::toString(F.takeError()).find("u.yaml:1:1"),
            std::string::npos);
}

TEST(ConfigTest, LaterFilesRefineEarlierOnes) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("vinyl-config", Dir));
  auto Write = [&](llvm::StringRef Name, llvm::StringRef Text) {
    std::string Path = (Dir + "/" + Name).str();
    std::error_code EC;
    llvm::raw_fd_ostream(Path, EC) << Text;
    return Path;
  };
  std::string Base = Write("base.yaml", "leaves:\n"
                                        "  - { name: read, replacement: a }\n"
                                        "  - { name: sleep, replacement: b }\n");
  std::string Extra = Write("extra.yaml", "leaves:\n"
                                          "  - { name: fetch, replacement: c }\n");
  std::string Project =
      Write("project.yaml", "rules: [extra.yaml]\nremove_leaves: [sleep]\n"
                            "leaves:\n  - { name: read, replacement: d }\n");
  auto C = loadConfig({Base, Project});
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->findLeaf("sleep"), nullptr);
  ASSERT_NE(C->findLeaf("fetch"), nullptr);
  EXPECT_EQ(C->findLeaf("read")->Replacement, "d"); // the later rule wins
  llvm::sys::fs::remove_directories(Dir);
}

TEST(ConfigTest, AsyncNameFollowsTheScheme) {
  Config C;
  EXPECT_EQ(C.asyncName("get"), "get_async");
  C.NameScheme = "co_{}_x";
  EXPECT_EQ(C.asyncName("get"), "co_get_x");
}

} // namespace
