// LineReader: the buffered line splitting over Stream::receive_some.
#include "net/line_reader.h"

#include <array>

namespace kv::net {

std::string LineReader::read_line(std::chrono::milliseconds timeout) {
  for (;;) {
    std::size_t newline = buffer_.find('\n', start_ + scanned_);
    if (newline != std::string::npos) {
      std::size_t end = newline;
      if (end > start_ && buffer_[end - 1] == '\r')
        --end;
      std::string line = buffer_.substr(start_, end - start_);
      start_ = newline + 1;
      scanned_ = 0;
      compact();
      return line;
    }
    scanned_ = buffer_.size() - start_;
    if (scanned_ > max_line_)
      throw LineTooLong("reply line longer than " + std::to_string(max_line_) +
                        " bytes");
    std::array<char, 4096> chunk;
    std::size_t n = stream_->receive_some(chunk.data(), chunk.size(), timeout);
    buffer_.append(chunk.data(), n);
  }
}

void LineReader::reset() noexcept {
  buffer_.clear();
  start_ = 0;
  scanned_ = 0;
}

void LineReader::compact() {
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
}

} // namespace kv::net
