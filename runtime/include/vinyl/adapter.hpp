// vinyl::adapter: the base of a library adapter's awaitable, shared by the
// bundled packs (pq.hpp, hiredis.hpp) and open to adapters users write.
//
// An adapter replaces one blocking library call with an awaitable that
// takes the same arguments and yields the same result. Derived names the
// call's arguments and has:
//   T call()               the blocking call itself (blocking mode);
//   vinyl::task<T> start() the coroutine async mode runs instead: it drives
//                          the library's non-blocking form and waits with
//                          vinyl::io::wait_readable/wait_writable;
//   bool plain()           (optional) whether to make call() at once. The
//                          default: when no event loop runs on this thread.
//                          An adapter adds the cases where the call cannot
//                          wait anyway (a handle in an error state).
//
// Blocking mode costs a thread-local load and a branch in await_ready and
// a test of a flag in await_resume over the plain call: no coroutine frame,
// no allocation. In async mode the task lives in the awaitable, which the
// awaiting coroutine keeps until it resumes.
#pragma once

#include <vinyl/event_loop.hpp>
#include <vinyl/task.hpp>

#include <cerrno>
#include <coroutine>
#include <new>

#include <fcntl.h>

namespace vinyl {

template <class Derived, class T> class adapter {
public:
  // The task is not built in blocking mode, and belongs to one await, so a
  // copy has none.
  adapter() noexcept {}
  adapter(const adapter &) noexcept {}
  adapter &operator=(const adapter &) = delete;
  ~adapter() {
    if (started_)
      task_.~task();
  }

  bool plain() const noexcept { return !::vinyl::detail::tls_loop; }

  bool await_ready() const noexcept { return self().plain(); }

  // The task runs here until its first wait. A call that needs none (its
  // result had already arrived, the socket had room) then resumes the
  // caller without suspending it: a loop of such calls grows no stack,
  // whether or not the compiler makes symmetric transfer a tail call.
  bool await_suspend(std::coroutine_handle<> waiter) {
    ::new (static_cast<void *>(&task_)) task<T>(self().start());
    started_ = true;
    const auto callee = ::vinyl::detail::task_access::handle(task_);
    callee.promise().continuation_ = std::noop_coroutine();
    callee.resume();
    if (callee.done())
      return false;
    callee.promise().continuation_ = waiter;
    return true;
  }

  // Decided by started_, not by plain() again: the handle's state plain()
  // may look at can change while the task runs.
  T await_resume() {
    if (!started_) [[likely]]
      return self().call();
    return ::vinyl::detail::task_access::handle(task_).promise().result();
  }

private:
  const Derived &self() const noexcept {
    return static_cast<const Derived &>(*this);
  }

  union {
    task<T> task_;
  };
  bool started_ = false;
};

// A descriptor made non-blocking for the scope's lifetime (a library's
// blocking socket, for the time of one adapted call); -1 or a descriptor
// already non-blocking is left alone. Putting the flags back keeps errno:
// the caller may look at it after the call.
class nonblocking_fd {
public:
  explicit nonblocking_fd(int fd) noexcept
      : fd_(fd), flags_(fd < 0 ? -1 : ::fcntl(fd, F_GETFL)) {
    if (flags_ != -1 && !(flags_ & O_NONBLOCK))
      ::fcntl(fd_, F_SETFL, flags_ | O_NONBLOCK);
  }
  nonblocking_fd(const nonblocking_fd &) = delete;
  nonblocking_fd &operator=(const nonblocking_fd &) = delete;
  ~nonblocking_fd() {
    if (flags_ != -1 && !(flags_ & O_NONBLOCK)) {
      const int saved = errno;
      ::fcntl(fd_, F_SETFL, flags_);
      errno = saved;
    }
  }

private:
  int fd_;
  int flags_;
};

// A socket's SO_RCVTIMEO or SO_SNDTIMEO in nanoseconds, -1 for none: the
// bound of an adapter's readiness wait, as it bounds the blocking call.
using detail::socket_timeout_ns;

} // namespace vinyl
