// recordlog::Reader: sequential reading through a buffer filled by read(),
// so that small records cost one system call per buffer, not per record.
#include "recordlog/recordlog.h"

#include "file_io.h"
#include "format.h"

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace recordlog {

using namespace detail;

namespace {
constexpr std::size_t read_chunk = 16 * 1024;
} // namespace

Reader::Reader(int fd, std::string path, Options options) noexcept
    : fd_(fd), path_(std::move(path)), options_(options) {}

Reader::Reader(Reader &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)),
      options_(other.options_), buffer_(std::move(other.buffer_)),
      start_(other.start_), offset_(other.offset_),
      peeked_(std::move(other.peeked_)), torn_tail_(other.torn_tail_) {}

Reader &Reader::operator=(Reader &&other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    options_ = other.options_;
    buffer_ = std::move(other.buffer_);
    start_ = other.start_;
    offset_ = other.offset_;
    peeked_ = std::move(other.peeked_);
    torn_tail_ = other.torn_tail_;
  }
  return *this;
}

Reader::~Reader() {
  if (fd_ >= 0)
    ::close(fd_);
}

Reader Reader::open(const std::string &path, const Options &options) {
  UniqueFd fd = open_file(path, O_RDONLY);
  Reader reader(fd.release(), path, options);
  // An empty file is an empty log: a writer creates it before the magic.
  std::size_t got = reader.fill(file_magic.size());
  if (got == 0)
    return reader;
  if (got < file_magic.size() ||
      std::string_view(reader.buffer_).substr(0, file_magic.size()) !=
          file_magic)
    throw Error(path + ": not a recordlog file");
  reader.start_ = file_magic.size();
  reader.offset_ = file_magic.size();
  return reader;
}

std::size_t Reader::fill(std::size_t n) {
  while (buffer_.size() - start_ < n) {
    buffer_.erase(0, start_);
    start_ = 0;
    const std::size_t old = buffer_.size();
    buffer_.resize(old + std::max(read_chunk, n - old));
    const std::size_t got =
        read_full(fd_, buffer_.data() + old, buffer_.size() - old, path_);
    buffer_.resize(old + got);
    if (got == 0)
      break;
  }
  return std::min(n, buffer_.size() - start_);
}

std::optional<Record> Reader::next() {
  if (peeked_)
    return std::exchange(peeked_, std::nullopt);
  if (torn_tail_)
    return std::nullopt;
  const std::size_t available = fill(record_header_size);
  if (available < record_header_size) {
    torn_tail_ = available > 0;
    return std::nullopt;
  }
  const RecordHeader header = decode_header(buffer_.data() + start_);
  if (header.length > options_.max_record_size)
    throw CorruptRecord(path_ + ": record length " +
                            std::to_string(header.length) + " at offset " +
                            std::to_string(offset_) + " exceeds the limit",
                        offset_);
  const std::size_t total = record_header_size + header.length;
  if (fill(total) < total) {
    torn_tail_ = true;
    return std::nullopt;
  }
  Record record{header.sequence,
                buffer_.substr(start_ + record_header_size, header.length)};
  if (record_crc(record.sequence, record.payload) != header.crc)
    throw CorruptRecord(path_ + ": checksum mismatch at offset " +
                            std::to_string(offset_),
                        offset_);
  start_ += total;
  offset_ += total;
  return record;
}

bool Reader::seek(std::uint64_t sequence) {
  while (auto record = next()) {
    if (record->sequence >= sequence) {
      peeked_ = std::move(record);
      return true;
    }
  }
  return false;
}

} // namespace recordlog
