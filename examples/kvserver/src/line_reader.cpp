#include "line_reader.h"

#include "kvserver/protocol.h"

#include <cerrno>
#include <sys/socket.h>
#include <sys/types.h>

namespace kvs {

bool LineReader::has_line() const {
  return buf_.find('\n', start_) != std::string::npos;
}

long LineReader::fill() {
  // Small reads: an idle connection costs only what it has buffered.
  char chunk[512];
  ssize_t n;
  do {
    n = ::recv(fd_, chunk, sizeof chunk, 0);
  } while (n < 0 && errno == EINTR);
  if (n > 0)
    buf_.append(chunk, static_cast<std::size_t>(n));
  return n;
}

LineReader::Status LineReader::read_line(std::string &line) {
  std::size_t searched = start_;
  for (;;) {
    std::size_t nl = buf_.find('\n', searched);
    if (nl != std::string::npos) {
      line.assign(buf_, start_, nl - start_);
      start_ = nl + 1;
      if (start_ == buf_.size()) {
        buf_.clear();
        start_ = 0;
      }
      return Status::Line;
    }
    if (buf_.size() - start_ > max_line_length)
      return Status::TooLong;
    // Keep only the unread part before reading more.
    if (start_ > 0) {
      buf_.erase(0, start_);
      start_ = 0;
    }
    searched = buf_.size();
    long n = fill();
    if (n == 0)
      return Status::Eof;
    if (n < 0)
      return Status::Error;
  }
}

} // namespace kvs
