// Tests of recordlog::Reader: reading back, buffering across records larger
// than its read size, seeking, torn tails and corruption.
#include "test_support.h"

#include <recordlog/recordlog.h>

namespace recordlog::testing {
namespace {

using ReaderTest = LogTest;

void write_log(const std::string &file, const std::vector<std::string> &payloads) {
  Writer w = Writer::open(file);
  for (const std::string &p : payloads)
    w.append(p);
  w.close();
}

TEST_F(ReaderTest, ReadsWhatWasWrittenInOrder) {
  write_log(path(), {"a", "bb", "ccc"});
  Reader r = Reader::open(path());
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    auto record = r.next();
    ASSERT_TRUE(record);
    EXPECT_EQ(record->sequence, seq);
    EXPECT_EQ(record->payload, std::string(seq, static_cast<char>('a' + seq - 1)));
  }
  EXPECT_FALSE(r.next());
  EXPECT_FALSE(r.stopped_at_torn_tail());
}

TEST_F(ReaderTest, EmptyFileIsAnEmptyLog) {
  overwrite(path(), "");
  Reader r = Reader::open(path());
  EXPECT_FALSE(r.next());
}

TEST_F(ReaderTest, RecordsLargerThanTheReadBuffer) {
  std::vector<std::string> payloads;
  for (int i = 0; i < 20; ++i)
    payloads.push_back(std::string(7000 * i + 1, static_cast<char>('a' + i)));
  write_log(path(), payloads);
  auto records = read_all(path());
  ASSERT_EQ(records.size(), payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i)
    EXPECT_EQ(records[i].payload, payloads[i]) << "record " << i;
}

TEST_F(ReaderTest, ManySmallRecords) {
  std::vector<std::string> payloads;
  for (int i = 0; i < 5000; ++i)
    payloads.push_back("record-" + std::to_string(i));
  write_log(path(), payloads);
  Reader r = Reader::open(path());
  std::size_t n = 0;
  while (auto record = r.next())
    EXPECT_EQ(record->payload, payloads[n++]);
  EXPECT_EQ(n, payloads.size());
}

TEST_F(ReaderTest, OffsetAdvancesByRecordSize) {
  write_log(path(), {"12345"});
  Reader r = Reader::open(path());
  EXPECT_EQ(r.offset(), 8u);
  r.next();
  EXPECT_EQ(r.offset(), 8u + 16 + 5);
}

TEST_F(ReaderTest, SeekFindsTheFirstRecordAtOrAfter) {
  write_log(path(), {"1", "2", "3", "4", "5"});
  Reader r = Reader::open(path());
  ASSERT_TRUE(r.seek(3));
  EXPECT_EQ(r.next()->payload, "3");
  EXPECT_EQ(r.next()->payload, "4");
  EXPECT_FALSE(r.seek(9));
  EXPECT_FALSE(r.next());
}

TEST_F(ReaderTest, TornTailEndsTheLogQuietly) {
  write_log(path(), {"kept", "torn"});
  chop(path(), 2);
  Reader r = Reader::open(path());
  EXPECT_EQ(r.next()->payload, "kept");
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.stopped_at_torn_tail());
  EXPECT_FALSE(r.next());
}

TEST_F(ReaderTest, TornHeaderEndsTheLogQuietly) {
  write_log(path(), {"kept", "torn"});
  chop(path(), 4 + 10);
  Reader r = Reader::open(path());
  EXPECT_TRUE(r.next());
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.stopped_at_torn_tail());
}

TEST_F(ReaderTest, FlippedPayloadByteIsCorruption) {
  write_log(path(), {"good", "bad!"});
  const std::size_t second = 8 + 16 + 4;
  flip_byte(path(), second + 16 + 1);
  Reader r = Reader::open(path());
  EXPECT_TRUE(r.next());
  try {
    r.next();
    FAIL() << "expected CorruptRecord";
  } catch (const CorruptRecord &e) {
    EXPECT_EQ(e.offset(), second);
  }
}

TEST_F(ReaderTest, HugeLengthIsCorruptionNotAnAllocation) {
  write_log(path(), {"x"});
  flip_byte(path(), 8 + 3); // the high byte of the length
  Reader r = Reader::open(path());
  EXPECT_THROW(r.next(), CorruptRecord);
}

TEST_F(ReaderTest, MissingFileReportsErrno) {
  try {
    Reader::open(path("missing"));
    FAIL() << "expected recordlog::Error";
  } catch (const Error &e) {
    EXPECT_EQ(e.error_code(), ENOENT);
  }
}

TEST_F(ReaderTest, ForeignFileIsRefused) {
  overwrite(path(), "RECLOG");
  EXPECT_THROW(Reader::open(path()), Error);
}

} // namespace
} // namespace recordlog::testing
