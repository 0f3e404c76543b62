// recordlog: an append-only log of checksummed records in one file.
//
// File layout: an 8-byte magic "RECLOG01", then records, each
//   u32 payload length | u32 CRC-32 of (sequence, payload) | u64 sequence |
//   payload bytes
// with integers little-endian. Sequences start at 1 and increase by one.
// A crash in the middle of an append leaves a torn tail: a partial last
// record, which readers treat as the end and repair() cuts off.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace recordlog {

/// A failed system call or an unusable file; what() names the file.
class Error : public std::runtime_error {
public:
  Error(const std::string &what, int error_code = 0)
      : std::runtime_error(what), error_code_(error_code) {}
  /// The errno value behind the failure, or 0.
  int error_code() const noexcept { return error_code_; }

private:
  int error_code_;
};

/// A complete record whose checksum, length or sequence is wrong: the file
/// was damaged after it was written (a torn tail is not corruption).
class CorruptRecord : public Error {
public:
  CorruptRecord(const std::string &what, std::uint64_t offset)
      : Error(what), offset_(offset) {}
  /// Where the bad record starts in the file.
  std::uint64_t offset() const noexcept { return offset_; }

private:
  std::uint64_t offset_;
};

struct Record {
  std::uint64_t sequence = 0;
  std::string payload;

  friend bool operator==(const Record &, const Record &) = default;
};

struct Options {
  /// Records larger than this are refused by the writer and reported as
  /// corruption by readers (a damaged length field must not allocate GBs).
  std::uint32_t max_record_size = 1u << 20;
  /// fsync() after every append instead of only on sync() and close().
  bool sync_every_append = false;
  /// Writer::open on a file with a torn tail: cut it off (true) or throw.
  bool repair_torn_tail = true;
};

/// Appends records. Each append is one write() of the whole record, so a
/// reader never sees half of one unless the machine crashed.
class Writer {
public:
  /// Opens path for appending, creating it if needed. An existing file is
  /// scanned to find its end and the next sequence number.
  static Writer open(const std::string &path, const Options &options = {});

  Writer(Writer &&other) noexcept;
  Writer &operator=(Writer &&other) noexcept;
  Writer(const Writer &) = delete;
  Writer &operator=(const Writer &) = delete;
  /// Closes the file without fsync(); call close() to make records durable.
  ~Writer();

  /// Appends payload as the next record and returns its sequence number.
  std::uint64_t append(std::string_view payload);
  /// Appends every payload with one write(); returns the first sequence.
  std::uint64_t append_batch(const std::vector<std::string> &payloads);
  /// Makes every appended record durable (fsync).
  void sync();
  /// sync() and close; the writer is unusable afterwards.
  void close();

  bool is_open() const noexcept { return fd_ >= 0; }
  /// The sequence number the next append will get.
  std::uint64_t next_sequence() const noexcept { return next_sequence_; }
  /// The file size: header and every record appended so far.
  std::uint64_t size() const noexcept { return size_; }

private:
  Writer(int fd, std::string path, Options options, std::uint64_t size,
         std::uint64_t next_sequence) noexcept;
  void write_all(std::string_view bytes);

  int fd_ = -1;
  std::string path_;
  Options options_;
  std::uint64_t size_ = 0;
  std::uint64_t next_sequence_ = 1;
};

/// Reads records in order through a buffer.
class Reader {
public:
  static Reader open(const std::string &path, const Options &options = {});

  Reader(Reader &&other) noexcept;
  Reader &operator=(Reader &&other) noexcept;
  Reader(const Reader &) = delete;
  Reader &operator=(const Reader &) = delete;
  ~Reader();

  /// The next record, or nothing at the end of the file or at a torn tail.
  /// Throws CorruptRecord for a damaged record.
  std::optional<Record> next();
  /// Skips to the first record with a sequence >= sequence; false if there
  /// is none.
  bool seek(std::uint64_t sequence);
  /// The file offset of the next record.
  std::uint64_t offset() const noexcept { return offset_; }
  /// True once next() has stopped at a partial record.
  bool stopped_at_torn_tail() const noexcept { return torn_tail_; }

private:
  Reader(int fd, std::string path, Options options) noexcept;
  // Makes at least n bytes available in the buffer; fewer only at end of file.
  std::size_t fill(std::size_t n);

  int fd_ = -1;
  std::string path_;
  Options options_;
  std::string buffer_;
  std::size_t start_ = 0;    // first unread byte of buffer_
  std::uint64_t offset_ = 0; // file offset of buffer_[start_]
  std::optional<Record> peeked_;
  bool torn_tail_ = false;
};

/// What a full scan of a log found.
struct ScanReport {
  std::uint64_t records = 0;
  std::uint64_t last_sequence = 0;
  /// Bytes up to the end of the last good record.
  std::uint64_t valid_bytes = 0;
  std::uint64_t file_size = 0;
  bool torn_tail = false;
};

/// Checks every record; throws CorruptRecord at the first damaged one.
ScanReport scan(const std::string &path, const Options &options = {});
/// Cuts a torn tail off; returns the report of the scan before cutting.
ScanReport repair(const std::string &path, const Options &options = {});
/// Every record of the log.
std::vector<Record> read_all(const std::string &path,
                             const Options &options = {});

} // namespace recordlog
