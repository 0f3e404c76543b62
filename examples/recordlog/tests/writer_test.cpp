// Tests of recordlog::Writer: appending, reopening, limits and the file
// layout promised by recordlog.h.
#include "test_support.h"

#include <recordlog/recordlog.h>

using recordlog::Options;
using recordlog::Writer;

namespace recordlog::testing {
namespace {

using WriterTest = LogTest;

TEST_F(WriterTest, NewFileStartsWithTheMagic) {
  Writer w = Writer::open(path());
  EXPECT_EQ(w.size(), 8u);
  EXPECT_EQ(w.next_sequence(), 1u);
  w.close();
  EXPECT_EQ(contents(path()), "RECLOG01");
}

TEST_F(WriterTest, AppendNumbersRecordsFromOne) {
  Writer w = Writer::open(path());
  EXPECT_EQ(w.append("alpha"), 1u);
  EXPECT_EQ(w.append(""), 2u);
  EXPECT_EQ(w.append("gamma"), 3u);
  EXPECT_EQ(w.next_sequence(), 4u);
  EXPECT_EQ(w.size(), 8u + 3 * 16 + 5 + 0 + 5);
  EXPECT_EQ(size_of(path()), w.size());
}

TEST_F(WriterTest, RecordLayoutIsLittleEndianHeaderThenPayload) {
  Writer w = Writer::open(path());
  w.append("hi");
  w.close();
  const std::string bytes = contents(path());
  ASSERT_EQ(bytes.size(), 8u + 16 + 2);
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x02\0\0\0", 4));
  EXPECT_EQ(bytes.substr(16, 8), std::string("\x01\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(bytes.substr(24), "hi");
}

TEST_F(WriterTest, ReopenContinuesTheSequence) {
  {
    Writer w = Writer::open(path());
    w.append("one");
    w.append("two");
    w.close();
  }
  Writer w = Writer::open(path());
  EXPECT_EQ(w.next_sequence(), 3u);
  EXPECT_EQ(w.append("three"), 3u);
  w.close();
  auto records = read_all(path());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2], (Record{3, "three"}));
}

TEST_F(WriterTest, BatchIsOneRunOfSequences) {
  Writer w = Writer::open(path());
  w.append("first");
  EXPECT_EQ(w.append_batch({"a", "b", "c"}), 2u);
  EXPECT_EQ(w.next_sequence(), 5u);
  w.close();
  auto records = read_all(path());
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].payload, "c");
}

TEST_F(WriterTest, OversizedRecordIsRefusedAndNothingIsWritten) {
  Options options;
  options.max_record_size = 4;
  Writer w = Writer::open(path(), options);
  EXPECT_THROW(w.append("too long"), recordlog::Error);
  EXPECT_THROW(w.append_batch({"ok", "far too long"}), recordlog::Error);
  EXPECT_EQ(w.next_sequence(), 1u);
  EXPECT_EQ(size_of(path()), 8u);
}

TEST_F(WriterTest, BinaryPayloadsSurvive) {
  std::string payload;
  for (int i = 0; i < 256; ++i)
    payload.push_back(static_cast<char>(i));
  Writer w = Writer::open(path());
  w.append(payload);
  w.close();
  EXPECT_EQ(read_all(path()).at(0).payload, payload);
}

TEST_F(WriterTest, SyncEveryAppendWritesTheSameFile) {
  Options options;
  options.sync_every_append = true;
  Writer w = Writer::open(path(), options);
  w.append("durable");
  EXPECT_EQ(read_all(path()).at(0).payload, "durable");
}

TEST_F(WriterTest, ClosedWriterRefusesToAppend) {
  Writer w = Writer::open(path());
  w.close();
  EXPECT_FALSE(w.is_open());
  EXPECT_THROW(w.append("late"), recordlog::Error);
  EXPECT_NO_THROW(w.close());
}

TEST_F(WriterTest, MovedWriterKeepsAppending) {
  Writer a = Writer::open(path());
  a.append("x");
  Writer b = std::move(a);
  EXPECT_EQ(b.append("y"), 2u);
}

TEST_F(WriterTest, OpeningAForeignFileFails) {
  overwrite(path(), "this is not a log file");
  try {
    Writer::open(path());
    FAIL() << "expected recordlog::Error";
  } catch (const recordlog::Error &e) {
    EXPECT_NE(std::string(e.what()).find("not a recordlog file"),
              std::string::npos);
  }
}

TEST_F(WriterTest, OpeningInAMissingDirectoryReportsErrno) {
  try {
    Writer::open(path("no-such-dir/log"));
    FAIL() << "expected recordlog::Error";
  } catch (const recordlog::Error &e) {
    EXPECT_EQ(e.error_code(), ENOENT);
  }
}

} // namespace
} // namespace recordlog::testing
