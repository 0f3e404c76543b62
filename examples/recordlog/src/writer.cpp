// recordlog::Writer: opening (and if needed repairing) a log for appending,
// and appending records with one write() each.
#include "recordlog/recordlog.h"

#include "file_io.h"
#include "format.h"
#include "scan.h"

#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace recordlog {

using namespace detail;

Writer::Writer(int fd, std::string path, Options options, std::uint64_t size,
               std::uint64_t next_sequence) noexcept
    : fd_(fd), path_(std::move(path)), options_(options), size_(size),
      next_sequence_(next_sequence) {}

Writer::Writer(Writer &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)),
      options_(other.options_), size_(other.size_),
      next_sequence_(other.next_sequence_) {}

Writer &Writer::operator=(Writer &&other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    options_ = other.options_;
    size_ = other.size_;
    next_sequence_ = other.next_sequence_;
  }
  return *this;
}

Writer::~Writer() {
  if (fd_ >= 0)
    ::close(fd_);
}

Writer Writer::open(const std::string &path, const Options &options) {
  UniqueFd fd = open_file(path, O_RDWR | O_CREAT);
  ScanReport report = scan_fd(fd.get(), path, options);
  if (report.file_size == 0) {
    write_full(fd.get(), file_magic.data(), file_magic.size(), path);
    report.valid_bytes = file_magic.size();
  } else if (report.torn_tail) {
    if (!options.repair_torn_tail)
      throw Error(path + ": torn record at offset " +
                  std::to_string(report.valid_bytes));
    truncate_to(fd.get(), report.valid_bytes, path);
  }
  seek_to(fd.get(), report.valid_bytes, path);
  return Writer(fd.release(), path, options, report.valid_bytes,
                report.last_sequence + 1);
}

void Writer::write_all(std::string_view bytes) {
  if (fd_ < 0)
    throw Error(path_ + ": writer is closed");
  write_full(fd_, bytes.data(), bytes.size(), path_);
  size_ += bytes.size();
  if (options_.sync_every_append)
    sync_file(fd_, path_);
}

std::uint64_t Writer::append(std::string_view payload) {
  if (payload.size() > options_.max_record_size)
    throw Error(path_ + ": record of " + std::to_string(payload.size()) +
                " bytes exceeds the limit");
  std::string record;
  record.reserve(record_header_size + payload.size());
  encode_record(next_sequence_, payload, record);
  write_all(record);
  return next_sequence_++;
}

std::uint64_t Writer::append_batch(const std::vector<std::string> &payloads) {
  const std::uint64_t first = next_sequence_;
  std::string batch;
  std::uint64_t sequence = first;
  for (const std::string &payload : payloads) {
    if (payload.size() > options_.max_record_size)
      throw Error(path_ + ": record of " + std::to_string(payload.size()) +
                  " bytes exceeds the limit");
    encode_record(sequence++, payload, batch);
  }
  write_all(batch);
  next_sequence_ = sequence;
  return first;
}

void Writer::sync() {
  if (fd_ < 0)
    throw Error(path_ + ": writer is closed");
  sync_file(fd_, path_);
}

void Writer::close() {
  if (fd_ < 0)
    return;
  sync();
  ::close(std::exchange(fd_, -1));
}

} // namespace recordlog
