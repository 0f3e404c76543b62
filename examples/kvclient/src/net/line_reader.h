// Reads "\n"-terminated lines from a Stream through a buffer, so that a reply
// split across TCP segments, or several replies in one segment, both work.
#pragma once

#include "net/socket.h"

#include <chrono>
#include <cstddef>
#include <string>

namespace kv::net {

/// A reply line was longer than the reader accepts.
class LineTooLong : public NetError {
public:
  using NetError::NetError;
};

class LineReader {
public:
  static constexpr std::size_t default_max_line = 64 * 1024;

  explicit LineReader(Stream &stream,
                      std::size_t max_line = default_max_line) noexcept
      : stream_(&stream), max_line_(max_line) {}

  /// The next line without its terminator ("\n" or "\r\n"). Throws what
  /// Stream::receive_some throws, or LineTooLong.
  std::string read_line(std::chrono::milliseconds timeout);

  /// Bytes received but not yet returned as lines.
  std::size_t buffered() const noexcept { return buffer_.size() - start_; }

  /// Forgets buffered bytes: they belonged to a connection that was dropped.
  void reset() noexcept;

private:
  // Drops consumed bytes once they are the larger part of the buffer.
  void compact();

  Stream *stream_;
  std::size_t max_line_;
  std::string buffer_;
  std::size_t start_ = 0;   // first byte not yet returned
  std::size_t scanned_ = 0; // bytes from start_ known to hold no '\n'
};

} // namespace kv::net
