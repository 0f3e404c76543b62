// Whole runs through the library call the command line makes: a small
// project on disk with its compile database, converted, checked and
// diffed by runConversion(), with the output streams captured.
#include "vinyl-asyncify/pipeline/Pipeline.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

using namespace vinyl;

namespace {

constexpr const char *Source = R"(#include <unistd.h>
int get_byte(int fd) {
  char c;
  if (read(fd, &c, 1) != 1)
    return -1;
  return c;
}
int get_pair(int fd) { return get_byte(fd) * 256 + get_byte(fd); }
int main() { return get_pair(0) < 0; }
)";

class PipelineTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("vinyl-pipeline", Dir));
    File = (Dir + "/pair.cpp").str();
    std::error_code EC;
    llvm::raw_fd_ostream(File, EC) << Source;
    llvm::raw_fd_ostream DB((Dir + "/compile_commands.json").str(), EC);
    DB << "[{\"directory\": \"" << Dir << "\", \"file\": \"" << File
       << "\", \"command\": \"c++ -std=c++20 -c " << File << "\"}]\n";
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  RunOptions options() {
    RunOptions O;
    O.Paths = {std::string(Dir)};
    O.Where.RuntimeIncludeDir = VINYL_TEST_RUNTIME_INCLUDE;
    O.Where.RulesDir = VINYL_TEST_RULES_DIR;
    O.Jobs = 1;
    O.Out = &Out;
    O.Err = &Err;
    return O;
  }

  std::string contents() {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    return Buffer ? (*Buffer)->getBuffer().str() : "";
  }

  llvm::SmallString<128> Dir;
  std::string File;
  std::string OutText, ErrText;
  llvm::raw_string_ostream Out{OutText}, Err{ErrText};
};

TEST_F(PipelineTest, ConvertsAndWritesMainAsTheFacadeOverMainAsync) {
  auto R = runConversion(options());
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Status, RunStatus::Done);
  EXPECT_TRUE(R->Written);
  ASSERT_EQ(R->Changed.size(), 1u);
  std::string Text = contents();
  EXPECT_EQ(Text, R->Changed[0].After);
  EXPECT_NE(Text.find("vinyl::task<int> get_byte(int fd)"), std::string::npos);
  EXPECT_NE(Text.find("co_await vinyl::io::read(fd, &c, 1)"),
            std::string::npos);
  // main's body becomes main_async, so get_pair keeps no facade.
  EXPECT_NE(Text.find("vinyl::task<int> get_pair(int fd)"), std::string::npos);
  EXPECT_NE(Text.find("vinyl::task<int> main_async() {"), std::string::npos);
  EXPECT_NE(Text.find("return vinyl::block_on(main_async());"),
            std::string::npos);
  EXPECT_NE(ErrText.find("converted "), std::string::npos);
}

TEST_F(PipelineTest, DiffWritesNothingAndPrintsTheChange) {
  RunOptions O = options();
  O.Diff = true;
  auto R = runConversion(O);
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->Written);
  EXPECT_EQ(contents(), Source);
  EXPECT_NE(OutText.find("+vinyl::task<int> get_byte(int fd) {"),
            std::string::npos);
}

TEST_F(PipelineTest, CheckReportsWhatIsNotAtTheFixpoint) {
  RunOptions O = options();
  O.Check = true;
  auto R = runConversion(O);
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Status, RunStatus::Findings);
  EXPECT_FALSE(R->Diags.empty());
  EXPECT_NE(ErrText.find("[vinyl-needs-async]"), std::string::npos);
  EXPECT_NE(ErrText.find("not at the fixpoint"), std::string::npos);
  EXPECT_EQ(contents(), Source);
}

TEST_F(PipelineTest, MissingDatabaseIsAnErrorAndNothingIsWritten) {
  llvm::sys::fs::remove((Dir + "/compile_commands.json").str());
  RunOptions O = options();
  O.BuildPath = std::string(Dir);
  auto R = runConversion(O);
  ASSERT_FALSE(bool(R));
  EXPECT_NE(llvm::toString(R.takeError()).find("no compilation database"),
            std::string::npos);
  EXPECT_EQ(contents(), Source);
}

} // namespace
