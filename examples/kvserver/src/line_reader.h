#pragma once
// Buffered line reading from a socket.
#include <cstddef>
#include <string>
#include <string_view>

namespace kvs {

class LineReader {
public:
  explicit LineReader(int fd) : fd_(fd) {}

  enum class Status { Line, Eof, TooLong, Error };

  /// Reads the next line (without its '\n') into line. Eof: the peer closed
  /// (a partial last line is dropped); Error: recv failed.
  Status read_line(std::string &line);

  /// True when a complete line is already buffered (no recv needed).
  bool has_line() const;

private:
  /// One recv into the buffer; its result.
  long fill();

  int fd_;
  std::string buf_;
  std::size_t start_ = 0; // first unread byte of buf_
};

} // namespace kvs
