// scan_fd: validates a log record by record without reading it into memory
// at once; a short last record is a torn tail, anything else wrong throws.
#include "scan.h"

#include "file_io.h"
#include "format.h"

#include <array>

namespace recordlog::detail {

ScanReport scan_fd(int fd, const std::string &path, const Options &options) {
  ScanReport report;
  report.file_size = file_size(fd, path);
  if (report.file_size == 0)
    return report;

  // Every read of the scan is positioned and names the same file.
  auto read_at = [&](void *buf, std::size_t size, std::uint64_t at) {
    return pread_full(fd, buf, size, at, path);
  };
  auto corrupt = [&](const std::string &what, std::uint64_t at) {
    return CorruptRecord(path + ": " + what + " at offset " + std::to_string(at),
                         at);
  };

  std::array<char, file_magic.size()> magic;
  if (read_at(magic.data(), magic.size(), 0) != magic.size() ||
      std::string_view(magic.data(), magic.size()) != file_magic)
    throw Error(path + ": not a recordlog file");
  report.valid_bytes = file_magic.size();

  std::string payload;
  for (;;) {
    const std::uint64_t offset = report.valid_bytes;
    std::array<char, record_header_size> raw;
    std::size_t got = read_at(raw.data(), raw.size(), offset);
    if (got < raw.size()) {
      report.torn_tail = got > 0;
      return report;
    }
    const RecordHeader header = decode_header(raw.data());
    if (header.length > options.max_record_size)
      throw corrupt("record length " + std::to_string(header.length) +
                        " exceeds the limit",
                    offset);
    payload.resize(header.length);
    if (read_at(payload.data(), payload.size(), offset + raw.size()) <
        payload.size()) {
      report.torn_tail = true;
      return report;
    }
    if (record_crc(header.sequence, payload) != header.crc)
      throw corrupt("checksum mismatch", offset);
    if (header.sequence != report.last_sequence + 1)
      throw corrupt("sequence " + std::to_string(header.sequence) + " after " +
                        std::to_string(report.last_sequence),
                    offset);
    report.last_sequence = header.sequence;
    ++report.records;
    report.valid_bytes = offset + raw.size() + payload.size();
  }
}

} // namespace recordlog::detail
