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


// What a killed write phase leaves, made by hand as writeAtomically names
// it (NAME.vinyl-TAG-XXXXXX, NAME.vinyl-old-TAG-XXXXXX, TAG the new
// text's), and what the next run's recovery makes of it.
class RecoverTest : public WriteAtomicallyTest {
protected:
  void temp(llvm::StringRef Name, llvm::StringRef NewText,
            llvm::StringRef Written, llvm::StringRef Unique) {
    put((Name + ".vinyl-" + writeTag(NewText) + "-" + Unique).str(), Written);
  }
  void backup(llvm::StringRef Name, llvm::StringRef NewText,
              llvm::StringRef Old, llvm::StringRef Unique) {
    put((Name + ".vinyl-old-" + writeTag(NewText) + "-" + Unique).str(), Old);
  }
  unsigned recover(bool Repair = true) {
    llvm::raw_string_ostream OS(Log);
    return recoverInterruptedWrite({Dir.str().str()}, Repair, OS);
  }
  std::string Log;
};

TEST_F(RecoverTest, FinishesAWriteKilledBetweenRenames) {
  put("a.cpp", "new a\n"); // Renamed already.
  backup("a.cpp", "new a\n", "old a\n", "00000a");
  put("b.h", "old b\n");
  temp("b.h", "new b\n", "new b\n", "00000b");
  backup("b.h", "new b\n", "old b\n", "00000c");
  EXPECT_EQ(recover(), 2u);
  EXPECT_EQ(get("a.cpp"), "new a\n");
  EXPECT_EQ(get("b.h"), "new b\n");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.cpp", "b.h"}));
  EXPECT_NE(Log.find("b.h: note: recovered from an interrupted conversion: "
                     "finished writing its conversion"),
            std::string::npos)
      << Log;
}

TEST_F(RecoverTest, UndoesAWriteKilledBeforeAnyRename) {
  put("a.cpp", "old a\n");
  temp("a.cpp", "new a\n", "new a\n", "00000a");
  backup("a.cpp", "new a\n", "old a\n", "00000b");
  put("b.h", "old b\n");
  temp("b.h", "new b\n", "ne", "00000c"); // Cut short by the kill.
  EXPECT_EQ(recover(), 2u);
  EXPECT_EQ(get("a.cpp"), "old a\n");
  EXPECT_EQ(get("b.h"), "old b\n");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.cpp", "b.h"}));
}

TEST_F(RecoverTest, PutsBackTheOriginalsWhenNoWholeTemporaryIsLeft) {
  put("a.cpp", "new a\n");
  backup("a.cpp", "new a\n", "old a\n", "00000a");
  put("b.h", "old b\n");
  temp("b.h", "new b\n", "new", "00000b"); // Not the text its tag names.
  backup("b.h", "new b\n", "old b\n", "00000c");
  recover();
  EXPECT_EQ(get("a.cpp"), "old a\n");
  EXPECT_EQ(get("b.h"), "old b\n");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.cpp", "b.h"}));
  EXPECT_NE(Log.find("a.cpp: note: recovered from an interrupted "
                     "conversion: put its original back"),
            std::string::npos)
      << Log;
}

TEST_F(RecoverTest, KeepsAFileEditedSinceWithItsBackup) {
  put("a.cpp", "edited by hand\n"); // Replaced, then edited.
  backup("a.cpp", "new a\n", "old a\n", "00000a");
  put("b.h", "new b\n");
  backup("b.h", "new b\n", "old b\n", "00000b");
  recover();
  EXPECT_EQ(get("a.cpp"), "edited by hand\n");
  EXPECT_EQ(get("b.h"), "new b\n");
  EXPECT_EQ(names().size(), 3u);
  EXPECT_NE(Log.find("a.cpp: warning: an interrupted conversion replaced "
                     "this file, and it was changed since"),
            std::string::npos)
      << Log;
}

TEST_F(RecoverTest, OnlyReportsWithoutRepair) {
  put("a.cpp", "new a\n");
  backup("a.cpp", "new a\n", "old a\n", "00000a");
  EXPECT_EQ(recover(/*Repair=*/false), 1u);
  EXPECT_EQ(names().size(), 2u);
  EXPECT_NE(Log.find("a.cpp: warning: an interrupted conversion left"),
            std::string::npos)
      << Log;
}

TEST_F(RecoverTest, TheWritePhaseNamesItsFilesSoRecoveryKnowsThem) {
  put("a.cpp", "old a\n");
  // A rename that fails leaves nothing, so look at the names it uses.
  std::vector<std::string> Seen;
  auto Fail = [&](const llvm::Twine &From, const llvm::Twine &) {
    Seen = names();
    return std::make_error_code(std::errc::io_error);
  };
  std::vector<ChangedFile> Files = {{path("a.cpp"), "old a\n", "new a\n"}};
  llvm::consumeError(writeAtomically(Files, Fail));
  std::string Tag = writeTag("new a\n");
  ASSERT_EQ(Seen.size(), 3u);
  EXPECT_TRUE(llvm::StringRef(Seen[1]).starts_with("a.cpp.vinyl-" + Tag + "-"))
      << Seen[1];
  EXPECT_TRUE(
      llvm::StringRef(Seen[2]).starts_with("a.cpp.vinyl-old-" + Tag + "-"))
      << Seen[2];
}

} // namespace
