// vinyl::error and its subclasses: the exceptions the runtime throws.
//
// Each is a std::exception that carries its message in a fixed buffer, rather
// than a std::logic_error or std::runtime_error: those need <stdexcept>, and
// so <string>, which would cost every converted file a fifth of a second of
// parsing. The messages are short, and put together without <cstdio>.
#pragma once

#include <cerrno>
#include <cstddef>
#include <exception>

#include <string.h>

namespace vinyl {

// The base of the runtime's exceptions. code() is the errno value behind the
// failure (EINVAL for a misuse), or 0.
class error : public std::exception {
public:
  // what is copied, and cut at 255 bytes.
  explicit error(const char *what, int code = 0) noexcept : code_(code) {
    what_[0] = '\0';
    append(what);
  }

  const char *what() const noexcept override { return what_; }
  int code() const noexcept { return code_; }

protected:
  // Adds at most max bytes of text to the message.
  void append(const char *text, std::size_t max = sizeof what_) noexcept {
    for (std::size_t i = 0; i != max && text[i] != '\0' &&
                            size_ != sizeof what_ - 1;
         ++i)
      what_[size_++] = text[i];
    what_[size_] = '\0';
  }

private:
  int code_;
  std::size_t size_ = 0;
  char what_[256];
};

// Thrown by block_on in blocking mode when the task suspended anyway (it
// awaited something that was not immediately ready): nothing would ever
// resume it. Its frames are destroyed first.
class no_event_loop : public error {
public:
  no_event_loop() noexcept
      : error("vinyl::block_on: the coroutine suspended under the blocking "
              "backend, but no event loop is running to resume it (it "
              "co_awaited something that was not immediately ready)") {}
};

// Thrown by run and by block_on in async mode when every task left is
// suspended on something no event loop will ever complete (an awaitable of
// another library, std::suspend_always, ...). The suspended frames are
// destroyed first.
class deadlock : public error {
public:
  deadlock() noexcept
      : error("vinyl::run: every task is suspended but no I/O is in flight, "
              "so none of them can ever be resumed") {}
};

// VINYL_IO or VINYL_IO_BACKEND holds a value the runtime does not know
// (code EINVAL); thrown by the first block_on, run or spawn that reads it.
class invalid_setting : public error {
public:
  // "VINYL_IO=fast: expected blocking or async"; at most 100 bytes of value.
  invalid_setting(const char *name, const char *value,
                  const char *expected) noexcept
      : error(name, EINVAL) {
    append("=");
    append(value, 100);
    append(": expected ");
    append(expected);
  }
};

// The system refused what the runtime needs: an io_uring instance or an
// epoll set, a thread for spawn, a wait for completions. code() is errno.
class os_error : public error {
public:
  // "context: strerror(code)", or strerror(code) alone for an empty context.
  os_error(const char *context, int code) noexcept : error(context, code) {
    if (*context)
      append(": ");
    append(::strerror(code));
  }
};

// Thrown by join_handle::join when the handle is not joinable (code EINVAL:
// already joined, detached, moved from or default-constructed), as
// std::thread::join throws std::system_error(std::errc::invalid_argument),
// or when the thread cannot be joined (EDEADLK: a thread joining itself).
class join_error : public error {
public:
  explicit join_error(int code) noexcept
      : error("vinyl::join_handle::join: ", code) {
    append(code == EINVAL ? "the handle is not joinable" : ::strerror(code));
  }
};

} // namespace vinyl
