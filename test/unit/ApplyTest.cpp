// writeAtomically's promise: every file is replaced or none is. A rename
// that fails part-way puts back the files already replaced and leaves no
// temporaries behind; a path that is a symbolic link keeps being a link
// to the rewritten file.
#include "vinyl-asyncify/apply/Apply.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

using namespace vinyl;

namespace {

class WriteAtomicallyTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("vinyl-apply", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string path(llvm::StringRef Name) { return (Dir + "/" + Name).str(); }

  void put(llvm::StringRef Name, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream(path(Name), EC) << Text;
    ASSERT_FALSE(EC);
  }

  std::string get(llvm::StringRef Name) {
    auto Buffer = llvm::MemoryBuffer::getFile(path(Name));
    return Buffer ? (*Buffer)->getBuffer().str() : "<unreadable>";
  }

  /// The names in the directory, sorted.
  std::vector<std::string> names() {
    std::vector<std::string> Out;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator I(Dir, EC), E; I != E && !EC;
         I.increment(EC))
      Out.push_back(llvm::sys::path::filename(I->path()).str());
    llvm::sort(Out);
    return Out;
  }

  llvm::SmallString<128> Dir;
};

TEST_F(WriteAtomicallyTest, ReplacesEveryFile) {
  put("a.cpp", "old a\n");
  put("b.h", "old b\n");
  std::vector<ChangedFile> Files = {{path("a.cpp"), "old a\n", "new a\n"},
                                    {path("b.h"), "old b\n", "new b\n"}};
  ASSERT_FALSE(llvm::errorToBool(writeAtomically(Files)));
  EXPECT_EQ(get("a.cpp"), "new a\n");
  EXPECT_EQ(get("b.h"), "new b\n");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.cpp", "b.h"}));
}

TEST_F(WriteAtomicallyTest, FailedRenamePutsBackTheFilesAlreadyReplaced) {
  put("a.cpp", "old a\n");
  put("b.cpp", "old b\n");
  put("c.h", "old c\n");
  std::vector<ChangedFile> Files = {{path("a.cpp"), "old a\n", "new a\n"},
                                    {path("b.cpp"), "old b\n", "new b\n"},
                                    {path("c.h"), "old c\n", "new c\n"}};
  unsigned Calls = 0;
  auto FailSecond = [&](const llvm::Twine &From, const llvm::Twine &To) {
    // The third call and later are the roll-back's.
    if (++Calls == 2)
      return std::make_error_code(std::errc::io_error);
    return llvm::sys::fs::rename(From, To);
  };
  llvm::Error E = writeAtomically(Files, FailSecond);
  ASSERT_TRUE(bool(E));
  std::string Message = llvm::toString(std::move(E));
  EXPECT_NE(Message.find("b.cpp: error: cannot replace"), std::string::npos)
      << Message;
  EXPECT_NE(Message.find("nothing was written"), std::string::npos)
      << Message;
  EXPECT_EQ(get("a.cpp"), "old a\n");
  EXPECT_EQ(get("b.cpp"), "old b\n");
  EXPECT_EQ(get("c.h"), "old c\n");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.cpp", "b.cpp", "c.h"}));
}

TEST_F(WriteAtomicallyTest, SymbolicLinkStaysALinkToTheNewText) {
  put("real.h", "old\n");
  ASSERT_FALSE(llvm::sys::fs::create_link("real.h", path("link.h")));
  std::vector<ChangedFile> Files = {{path("link.h"), "old\n", "new\n"}};
  ASSERT_FALSE(llvm::errorToBool(writeAtomically(Files)));
  llvm::sys::fs::file_status Status;
  ASSERT_FALSE(llvm::sys::fs::status(path("link.h"), Status, /*Follow=*/false));
  EXPECT_EQ(Status.type(), llvm::sys::fs::file_type::symlink_file);
  EXPECT_EQ(get("real.h"), "new\n");
  EXPECT_EQ(names(), (std::vector<std::string>{"link.h", "real.h"}));
}

} // namespace
