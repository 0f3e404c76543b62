// Tests of scan(), repair() and of Writer::open's handling of torn tails.
#include "test_support.h"

#include <recordlog/recordlog.h>

namespace recordlog::testing {
namespace {

using MaintenanceTest = LogTest;

void write_log(const std::string &file, int records) {
  Writer w = Writer::open(file);
  for (int i = 1; i <= records; ++i)
    w.append("payload " + std::to_string(i));
  w.close();
}

TEST_F(MaintenanceTest, ScanOfAHealthyLog) {
  write_log(path(), 10);
  ScanReport report = scan(path());
  EXPECT_EQ(report.records, 10u);
  EXPECT_EQ(report.last_sequence, 10u);
  EXPECT_EQ(report.valid_bytes, report.file_size);
  EXPECT_FALSE(report.torn_tail);
}

TEST_F(MaintenanceTest, ScanReportsATornTailWithoutChangingTheFile) {
  write_log(path(), 3);
  const auto full = size_of(path());
  chop(path(), 5);
  ScanReport report = scan(path());
  EXPECT_EQ(report.records, 2u);
  EXPECT_TRUE(report.torn_tail);
  EXPECT_EQ(report.file_size, full - 5);
  EXPECT_LT(report.valid_bytes, report.file_size);
  EXPECT_EQ(size_of(path()), full - 5);
}

TEST_F(MaintenanceTest, RepairCutsTheTornTail) {
  write_log(path(), 3);
  chop(path(), 5);
  ScanReport before = repair(path());
  EXPECT_TRUE(before.torn_tail);
  EXPECT_EQ(size_of(path()), before.valid_bytes);
  ScanReport after = scan(path());
  EXPECT_FALSE(after.torn_tail);
  EXPECT_EQ(after.records, 2u);
}

TEST_F(MaintenanceTest, RepairLeavesAHealthyLogAlone) {
  write_log(path(), 4);
  const std::string bytes = contents(path());
  repair(path());
  EXPECT_EQ(contents(path()), bytes);
}

TEST_F(MaintenanceTest, RepairDoesNotHideCorruption) {
  write_log(path(), 3);
  flip_byte(path(), 8 + 16 + 2);
  EXPECT_THROW(repair(path()), CorruptRecord);
}

TEST_F(MaintenanceTest, WriterRepairsATornTailAndContinues) {
  write_log(path(), 3);
  chop(path(), 1);
  Writer w = Writer::open(path());
  EXPECT_EQ(w.next_sequence(), 3u);
  w.append("replacement");
  w.close();
  auto records = read_all(path());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2], (Record{3, "replacement"}));
}

TEST_F(MaintenanceTest, WriterCanRefuseATornTail) {
  write_log(path(), 2);
  chop(path(), 1);
  Options options;
  options.repair_torn_tail = false;
  EXPECT_THROW(Writer::open(path(), options), Error);
}

TEST_F(MaintenanceTest, SequenceGapIsCorruption) {
  write_log(path(), 2);
  // Rewrite the log with the second record's sequence changed from 2 to 3.
  std::string bytes = contents(path());
  const std::size_t second = 8 + 16 + std::string("payload 1").size();
  Writer w = Writer::open(path("other"));
  w.append("payload 1");
  w.append("skipped");
  w.append("payload 2");
  w.close();
  std::string other = contents(path("other"));
  // Keep record 1 and splice in record 3 from the other log.
  const std::size_t third = second + 16 + std::string("skipped").size();
  overwrite(path(), bytes.substr(0, second) + other.substr(third));
  try {
    scan(path());
    FAIL() << "expected CorruptRecord";
  } catch (const CorruptRecord &e) {
    EXPECT_EQ(e.offset(), second);
  }
}

TEST_F(MaintenanceTest, ReadAllOfAMissingFileFails) {
  EXPECT_THROW(read_all(path("missing")), Error);
}

} // namespace
} // namespace recordlog::testing
