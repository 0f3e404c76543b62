// vinyl::error and its subclasses: the exceptions the runtime throws.
//
// Each is a std::exception that carries its message in a fixed buffer, rather
// than a std::logic_error or std::runtime_error: those need <stdexcept>, and
// so <string>, which would cost every converted file a fifth of a second of
// parsing. The messages are short, and formatted where they are thrown.
#pragma once

#include <cstddef>
#include <exception>

namespace vinyl {

// The base of the runtime's exceptions. code() is the errno value behind the
// failure (EINVAL for a misuse), or 0.
class error : public std::exception {
public:
  // what is copied, and cut at 255 bytes.
  explicit error(const char *what, int code = 0) noexcept : code_(code) {
    std::size_t n = 0;
    for (; what[n] != '\0' && n != sizeof what_ - 1; ++n)
      what_[n] = what[n];
    what_[n] = '\0';
  }

  const char *what() const noexcept override { return what_; }
  int code() const noexcept { return code_; }

private:
  int code_;
  char what_[256];
};

// Thrown by join_handle::join when the handle is not joinable (code EINVAL:
// already joined, detached, moved from or default-constructed), as
// std::thread::join throws std::system_error(std::errc::invalid_argument),
// or when the thread cannot be joined (EDEADLK: a thread joining itself).
class join_error : public error {
public:
  using error::error;
};

} // namespace vinyl
