// Whole-log operations: scan, repair, read_all.
#include "recordlog/recordlog.h"

#include "file_io.h"
#include "scan.h"

#include <fcntl.h>

namespace recordlog {

using namespace detail;

ScanReport scan(const std::string &path, const Options &options) {
  UniqueFd fd = open_file(path, O_RDONLY);
  return scan_fd(fd.get(), path, options);
}

ScanReport repair(const std::string &path, const Options &options) {
  UniqueFd fd = open_file(path, O_RDWR);
  const ScanReport report = scan_fd(fd.get(), path, options);
  if (report.torn_tail) {
    truncate_to(fd.get(), report.valid_bytes, path);
    sync_file(fd.get(), path);
  }
  return report;
}

std::vector<Record> read_all(const std::string &path, const Options &options) {
  Reader reader = Reader::open(path, options);
  std::vector<Record> records;
  while (std::optional<Record> record = reader.next())
    records.push_back(std::move(*record));
  return records;
}

} // namespace recordlog
