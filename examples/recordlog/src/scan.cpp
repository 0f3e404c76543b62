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

  std::array<char, file_magic.size()> magic;
  if (pread_full(fd, magic.data(), magic.size(), 0, path) != magic.size() ||
      std::string_view(magic.data(), magic.size()) != file_magic)
    throw Error(path + ": not a recordlog file");
  report.valid_bytes = file_magic.size();

  std::string payload;
  for (;;) {
    const std::uint64_t offset = report.valid_bytes;
    std::array<char, record_header_size> raw;
    std::size_t got = pread_full(fd, raw.data(), raw.size(), offset, path);
    if (got < raw.size()) {
      report.torn_tail = got > 0;
      return report;
    }
    const RecordHeader header = decode_header(raw.data());
    if (header.length > options.max_record_size)
      throw CorruptRecord(path + ": record length " +
                              std::to_string(header.length) + " at offset " +
                              std::to_string(offset) + " exceeds the limit",
                          offset);
    payload.resize(header.length);
    if (pread_full(fd, payload.data(), payload.size(), offset + raw.size(),
                   path) < payload.size()) {
      report.torn_tail = true;
      return report;
    }
    if (record_crc(header.sequence, payload) != header.crc)
      throw CorruptRecord(path + ": checksum mismatch at offset " +
                              std::to_string(offset),
                          offset);
    if (header.sequence != report.last_sequence + 1)
      throw CorruptRecord(path + ": sequence " +
                              std::to_string(header.sequence) + " after " +
                              std::to_string(report.last_sequence),
                          offset);
    report.last_sequence = header.sequence;
    ++report.records;
    report.valid_bytes = offset + raw.size() + payload.size();
  }
}

} // namespace recordlog::detail
