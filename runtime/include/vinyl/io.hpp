// vinyl::io: awaitable replacements for the blocking POSIX calls.
//
// `co_await vinyl::io::read(fd, buf, n)` takes the same arguments and yields
// the same value, with the same errno, as `::read(fd, buf, n)`.
//
// Blocking mode (no event loop on this thread): each awaitable is ready at
// once and makes the real call in await_resume, so nothing runs between the
// call and the caller reading errno; the only cost over the plain call is one
// thread-local load and a well-predicted branch. Async mode (block_on or run
// started a loop on this thread): await_suspend describes the call to the
// loop as a detail::operation and the coroutine suspends until it completes;
// await_resume yields the result and sets errno from it. Each operation is its
// own type carrying the call's arguments in members named like its
// parameters.
#pragma once

#include <vinyl/event_loop.hpp>

#include <cerrno>
#include <climits>
#include <coroutine>
#include <cstddef>
#include <cstdlib>
#include <type_traits>

#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

namespace vinyl::detail {

// What sleep_for needs of a duration type: std::chrono::duration, or any
// type with a count() and a period with num and den. Taken as a template
// parameter so that this header need not include <chrono>, which costs every
// converted file more than a third of a second of parsing; the caller has
// its duration type already.
template <class D>
concept duration_like = requires(const D &d) {
  d.count();
  D::period::num;
  D::period::den;
};

__extension__ typedef __int128 int128;

constexpr int128 gcd(int128 a, int128 b) noexcept {
  while (b != 0) {
    const int128 r = a % b;
    a = b;
    b = r;
  }
  return a;
}

// d in nanoseconds, rounded up (async mode: never shorter than asked) or
// toward zero (blocking mode, as std::this_thread::sleep_for does), and at
// most `cap`; 0 for a duration that is not positive.
template <duration_like D>
long long duration_ns(const D &d, bool round_up, long long cap) noexcept {
  // Nanoseconds per tick as a reduced fraction num / den.
  constexpr int128 g1 = gcd(D::period::num, D::period::den);
  constexpr int128 g2 = gcd(1'000'000'000, D::period::den / g1);
  constexpr int128 num = D::period::num / g1 * (1'000'000'000 / g2);
  constexpr int128 den = D::period::den / g1 / g2;
  const auto count = d.count();
  if (!(count > 0))
    return 0;
  if constexpr (std::is_floating_point_v<decltype(count)>) {
    const long double exact = static_cast<long double>(count) *
                              static_cast<long double>(num) /
                              static_cast<long double>(den);
    if (!(exact < static_cast<long double>(cap)))
      return cap;
    auto ns = static_cast<long long>(exact);
    if (round_up && static_cast<long double>(ns) < exact)
      ++ns;
    return ns;
  } else {
    // Exact in 128 bits for any count and any period chrono offers.
    const int128 scaled = static_cast<int128>(count) * num;
    int128 ns = scaled / den;
    if (round_up && ns * den != scaled)
      ++ns;
    return ns > cap ? cap : static_cast<long long>(ns);
  }
}

inline constexpr long long no_timeout = -1;

// A timeout in nanoseconds, rounded up: a wait is never shorter than asked.
template <duration_like D> long long timeout_ns(const D &d) noexcept {
  return duration_ns(d, true, longest_wait_ns);
}

} // namespace vinyl::detail

namespace vinyl::io {

// What every leaf shares: readiness decided by whether a loop runs here, and
// the operation record the loop fills while the coroutine is suspended.
class leaf {
public:
  // Leave op_ uninitialised: the blocking path never touches it, and it
  // describes one suspension, so a copy has no use for it.
  leaf() noexcept {}
  leaf(const leaf &) noexcept {}
  leaf &operator=(const leaf &) noexcept { return *this; }

  bool await_ready() const noexcept { return !detail::tls_loop; }

protected:
  bool suspend(std::coroutine_handle<> waiter, detail::op_code code) {
    op_.code = code;
    op_.waiter = waiter.address();
    op_.saved_errno = errno;
    const bool suspended = detail::tls_loop->submit(op_);
    if (!suspended && op_.result >= 0)
      errno = op_.saved_errno;
    return suspended;
  }

  // The loop's answer, as the call returns it: the value, or -1 with errno.
  template <class R> R result() const noexcept {
    if (op_.result >= 0) {
      errno = op_.saved_errno;
      return static_cast<R>(op_.result);
    }
    errno = static_cast<int>(-op_.result);
    return static_cast<R>(-1);
  }

  bool finished_with(long long result) noexcept {
    op_.result = result;
    return false;
  }

  detail::operation op_;
};

// Blocking mode is the first branch of every await_resume, so its code falls
// through: a leaf in blocking mode runs one compare before the real call.
#define VINYL_IO_BLOCKING if (!detail::tls_loop) [[likely]]

struct [[nodiscard]] read_op : leaf {
  int fd;
  void *buf;
  std::size_t count;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = buf;
    op_.len = count;
    return suspend(h, detail::op_code::read);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::read(fd, buf, count);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] write_op : leaf {
  int fd;
  const void *buf;
  std::size_t count;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = const_cast<void *>(buf);
    op_.len = count;
    return suspend(h, detail::op_code::write);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::write(fd, buf, count);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] pread_op : leaf {
  int fd;
  void *buf;
  std::size_t count;
  off_t offset;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = buf;
    op_.len = count;
    op_.offset = offset;
    return suspend(h, detail::op_code::pread);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::pread(fd, buf, count, offset);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] pwrite_op : leaf {
  int fd;
  const void *buf;
  std::size_t count;
  off_t offset;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = const_cast<void *>(buf);
    op_.len = count;
    op_.offset = offset;
    return suspend(h, detail::op_code::pwrite);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::pwrite(fd, buf, count, offset);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] recv_op : leaf {
  int fd;
  void *buf;
  std::size_t len;
  int flags;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = buf;
    op_.len = len;
    op_.flags = flags;
    return suspend(h, detail::op_code::recv);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::recv(fd, buf, len, flags);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] send_op : leaf {
  int fd;
  const void *buf;
  std::size_t len;
  int flags;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = const_cast<void *>(buf);
    op_.len = len;
    op_.flags = flags;
    return suspend(h, detail::op_code::send);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::send(fd, buf, len, flags);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] recvfrom_op : leaf {
  int fd;
  void *buf;
  std::size_t len;
  int flags;
  sockaddr *src_addr;
  socklen_t *addrlen;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = buf;
    op_.len = len;
    op_.flags = flags;
    op_.addr = src_addr;
    op_.addrlen_out = addrlen;
    return suspend(h, detail::op_code::recvfrom);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::recvfrom(fd, buf, len, flags, src_addr, addrlen);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] sendto_op : leaf {
  int fd;
  const void *buf;
  std::size_t len;
  int flags;
  const sockaddr *dest_addr;
  socklen_t addrlen;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.buf = const_cast<void *>(buf);
    op_.len = len;
    op_.flags = flags;
    op_.addr = const_cast<sockaddr *>(dest_addr);
    op_.addrlen = addrlen;
    return suspend(h, detail::op_code::sendto);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::sendto(fd, buf, len, flags, dest_addr, addrlen);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] accept_op : leaf {
  int fd;
  sockaddr *addr;
  socklen_t *addrlen;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.addr = addr;
    op_.addrlen_out = addrlen;
    op_.flags = 0;
    return suspend(h, detail::op_code::accept);
  }
  int await_resume() const {
    VINYL_IO_BLOCKING return ::accept(fd, addr, addrlen);
    return result<int>();
  }
};

struct [[nodiscard]] accept4_op : leaf {
  int fd;
  sockaddr *addr;
  socklen_t *addrlen;
  int flags;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.addr = addr;
    op_.addrlen_out = addrlen;
    op_.flags = flags;
    return suspend(h, detail::op_code::accept);
  }
  int await_resume() const {
    VINYL_IO_BLOCKING return ::accept4(fd, addr, addrlen, flags);
    return result<int>();
  }
};

struct [[nodiscard]] connect_op : leaf {
  int fd;
  const sockaddr *addr;
  socklen_t addrlen;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.fd = fd;
    op_.addr = const_cast<sockaddr *>(addr);
    op_.addrlen = addrlen;
    return suspend(h, detail::op_code::connect);
  }
  int await_resume() const {
    VINYL_IO_BLOCKING return ::connect(fd, addr, addrlen);
    return result<int>();
  }
};

// The vectored calls. Arguments the call would refuse (a count out of
// range, a null header) go straight to the real call, which fails at once
// with its errno.
struct [[nodiscard]] readv_op : leaf {
  int fd;
  const iovec *iov;
  int iovcnt;
  bool await_suspend(std::coroutine_handle<> h) {
    if (iovcnt < 0 || iovcnt > IOV_MAX || (iovcnt > 0 && !iov))
      return finished_with(detail::result_of(::readv(fd, iov, iovcnt)));
    op_.fd = fd;
    op_.buf = const_cast<iovec *>(iov);
    op_.iovcnt = iovcnt;
    op_.len = detail::total_length(iov, static_cast<std::size_t>(iovcnt));
    return suspend(h, detail::op_code::readv);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::readv(fd, iov, iovcnt);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] writev_op : leaf {
  int fd;
  const iovec *iov;
  int iovcnt;
  bool await_suspend(std::coroutine_handle<> h) {
    if (iovcnt < 0 || iovcnt > IOV_MAX || (iovcnt > 0 && !iov))
      return finished_with(detail::result_of(::writev(fd, iov, iovcnt)));
    op_.fd = fd;
    op_.buf = const_cast<iovec *>(iov);
    op_.iovcnt = iovcnt;
    op_.len = detail::total_length(iov, static_cast<std::size_t>(iovcnt));
    return suspend(h, detail::op_code::writev);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::writev(fd, iov, iovcnt);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] recvmsg_op : leaf {
  int fd;
  msghdr *msg;
  int flags;
  bool await_suspend(std::coroutine_handle<> h) {
    if (!msg || msg->msg_iovlen > IOV_MAX)
      return finished_with(detail::result_of(::recvmsg(fd, msg, flags)));
    op_.fd = fd;
    op_.buf = msg;
    op_.flags = flags;
    op_.len = detail::total_length(msg->msg_iov, msg->msg_iovlen);
    return suspend(h, detail::op_code::recvmsg);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::recvmsg(fd, msg, flags);
    return result<ssize_t>();
  }
};

struct [[nodiscard]] sendmsg_op : leaf {
  int fd;
  const msghdr *msg;
  int flags;
  bool await_suspend(std::coroutine_handle<> h) {
    if (!msg || msg->msg_iovlen > IOV_MAX)
      return finished_with(detail::result_of(::sendmsg(fd, msg, flags)));
    op_.fd = fd;
    op_.buf = const_cast<msghdr *>(msg);
    op_.flags = flags;
    op_.len = detail::total_length(msg->msg_iov, msg->msg_iovlen);
    return suspend(h, detail::op_code::sendmsg);
  }
  ssize_t await_resume() const {
    VINYL_IO_BLOCKING return ::sendmsg(fd, msg, flags);
    return result<ssize_t>();
  }
};

// In async mode the loop asks poll(2) itself with a zero timeout, and waits
// only when nothing is ready yet.
struct [[nodiscard]] poll_op : leaf {
  pollfd *fds;
  nfds_t nfds;
  int timeout;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.buf = fds;
    op_.len = nfds;
    op_.nanoseconds = timeout < 0 ? -1 : timeout * 1'000'000LL;
    return suspend(h, detail::op_code::poll);
  }
  int await_resume() const {
    VINYL_IO_BLOCKING return ::poll(fds, nfds, timeout);
    return result<int>();
  }
};

// A pollfd array that belongs to one suspended select: freed with the
// awaitable, not copied with it.
class owned_pollfds {
public:
  owned_pollfds() noexcept = default;
  owned_pollfds(const owned_pollfds &) noexcept {}
  owned_pollfds &operator=(const owned_pollfds &) = delete;
  ~owned_pollfds() { std::free(fds_); }

  pollfd *allocate(std::size_t n) noexcept {
    std::free(fds_);
    fds_ = static_cast<pollfd *>(std::malloc(n ? n * sizeof(pollfd) : 1));
    return fds_;
  }
  pollfd *get() const noexcept { return fds_; }

private:
  pollfd *fds_ = nullptr;
};

// select(2) in async mode: the descriptor sets become a pollfd array (read:
// POLLIN, write: POLLOUT, except: POLLPRI) that the loop polls as it does
// for poll; the answer is written back into the sets as select would, the
// count of bits set, EBADF for a descriptor that is not open, and, as
// Linux does, the time not slept in *timeout.
struct [[nodiscard]] select_op : leaf {
  int nfds;
  fd_set *readfds;
  fd_set *writefds;
  fd_set *exceptfds;
  timeval *timeout;
  owned_pollfds fds_{};
  std::size_t count_ = 0;
  long long deadline_ = -1;

  bool await_suspend(std::coroutine_handle<> h) {
    if (nfds < 0 || nfds > FD_SETSIZE ||
        (timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0)))
      return finished_with(-EINVAL);
    count_ = 0;
    for (int fd = 0; fd != nfds; ++fd)
      count_ += events_of(fd) != 0;
    pollfd *fds = fds_.allocate(count_);
    if (!fds)
      return finished_with(-ENOMEM);
    std::size_t i = 0;
    for (int fd = 0; fd != nfds; ++fd)
      if (const short events = events_of(fd))
        fds[i++] = pollfd{fd, events, 0};
    long long ns = -1;
    if (timeout)
      ns = timeout->tv_sec * 1'000'000'000LL + timeout->tv_usec * 1'000LL;
    deadline_ = ns < 0 ? -1 : detail::monotonic_ns() + ns;
    op_.buf = fds;
    op_.len = count_;
    op_.nanoseconds = ns;
    return suspend(h, detail::op_code::poll);
  }

  int await_resume() {
    VINYL_IO_BLOCKING return ::select(nfds, readfds, writefds, exceptfds,
                                      timeout);
    if (op_.result < 0 || !fds_.get())
      return result<int>();
    const pollfd *fds = fds_.get();
    for (std::size_t i = 0; i != count_; ++i)
      if (fds[i].revents & POLLNVAL) {
        op_.result = -EBADF;
        return result<int>();
      }
    clear(readfds);
    clear(writefds);
    clear(exceptfds);
    int bits = 0;
    constexpr short readable = POLLIN | POLLHUP | POLLERR;
    constexpr short writable = POLLOUT | POLLERR;
    for (std::size_t i = 0; i != count_; ++i) {
      bits += mark(readfds, fds[i], readable, POLLIN);
      bits += mark(writefds, fds[i], writable, POLLOUT);
      bits += mark(exceptfds, fds[i], POLLPRI, POLLPRI);
    }
    if (timeout && deadline_ >= 0) {
      long long left = deadline_ - detail::monotonic_ns();
      if (left < 0 || bits == 0)
        left = 0;
      timeout->tv_sec = static_cast<time_t>(left / 1'000'000'000);
      timeout->tv_usec = static_cast<suseconds_t>(left % 1'000'000'000 / 1000);
    }
    op_.result = bits;
    return result<int>();
  }

private:
  short events_of(int fd) const noexcept {
    short events = 0;
    if (readfds && FD_ISSET(fd, readfds))
      events |= POLLIN;
    if (writefds && FD_ISSET(fd, writefds))
      events |= POLLOUT;
    if (exceptfds && FD_ISSET(fd, exceptfds))
      events |= POLLPRI;
    return events;
  }

  static void clear(fd_set *set) noexcept {
    if (set)
      FD_ZERO(set);
  }

  // Sets fd in `set` when it asked for `asked` there and got one of `got`.
  static int mark(fd_set *set, const pollfd &p, short got,
                  short asked) noexcept {
    if (!set || !(p.events & asked) || !(p.revents & got))
      return 0;
    FD_SET(p.fd, set);
    return 1;
  }
};

// The sleeps become timers in async mode. Signals do not cut them short
// there (no EINTR, nothing unslept), as only this thread's loop waits.
struct [[nodiscard]] sleep_op : leaf {
  unsigned seconds;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.nanoseconds = seconds * 1'000'000'000LL;
    return suspend(h, detail::op_code::sleep);
  }
  unsigned await_resume() const {
    VINYL_IO_BLOCKING return ::sleep(seconds);
    return result<unsigned>();
  }
};

struct [[nodiscard]] usleep_op : leaf {
  useconds_t usec;
  bool await_suspend(std::coroutine_handle<> h) {
    op_.nanoseconds = usec * 1'000LL;
    return suspend(h, detail::op_code::sleep);
  }
  int await_resume() const {
    VINYL_IO_BLOCKING return ::usleep(usec);
    return result<int>();
  }
};

struct [[nodiscard]] nanosleep_op : leaf {
  const timespec *req;
  timespec *rem;
  // nanosleep(2)'s argument checks; rem is left alone, as on success.
  bool await_suspend(std::coroutine_handle<> h) {
    if (!req)
      return finished_with(-EFAULT);
    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1'000'000'000)
      return finished_with(-EINVAL);
    op_.nanoseconds = req->tv_sec * 1'000'000'000LL + req->tv_nsec;
    return suspend(h, detail::op_code::sleep);
  }
  int await_resume() const {
    VINYL_IO_BLOCKING return ::nanosleep(req, rem);
    return result<int>();
  }
};

template <class D> struct [[nodiscard]] sleep_for_op : leaf {
  D duration;
  bool await_suspend(std::coroutine_handle<> h) {
    // Rounded up, never shorter than asked; a century at most.
    op_.nanoseconds = detail::timeout_ns(duration);
    return suspend(h, detail::op_code::sleep);
  }
  // What std::this_thread::sleep_for does, without <thread>, which costs
  // every converted file a third of a second of parsing: sleep the whole
  // duration (whole nanoseconds, rounded toward zero), through signals.
  void await_resume() const {
    VINYL_IO_BLOCKING {
      const long long ns = detail::duration_ns(duration, false, LLONG_MAX);
      if (ns == 0)
        return;
      timespec ts{static_cast<time_t>(ns / 1'000'000'000),
                  static_cast<long>(ns % 1'000'000'000)};
      while (::nanosleep(&ts, &ts) == -1 && errno == EINTR) {
      }
    }
  }
};

// Readiness of one descriptor, for adapters of libraries that do their own
// non-blocking I/O (libpq, hiredis, OpenSSL): the value is poll(2)'s on
// that descriptor alone, 1 when ready (an error or hang-up counts), 0 when
// the timeout passed, -1 with errno. Blocking mode: ppoll(2), which a signal
// may interrupt (EINTR); async mode: the loop waits, through signals.
struct [[nodiscard]] wait_op : leaf {
  pollfd target;
  long long timeout_ns; // negative: no timeout
  bool await_suspend(std::coroutine_handle<> h) {
    op_.buf = &target;
    op_.len = 1;
    op_.nanoseconds = timeout_ns;
    return suspend(h, detail::op_code::poll);
  }
  int await_resume() {
    VINYL_IO_BLOCKING {
      // A local copy: g++ -fsanitize=address misjudges the size of a
      // member of a coroutine frame in fortify's check of ppoll.
      pollfd one = target;
      timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000),
                  static_cast<long>(timeout_ns % 1'000'000'000)};
      const int r = ::ppoll(&one, 1, timeout_ns < 0 ? nullptr : &ts, nullptr);
      target.revents = one.revents;
      return r;
    }
    return result<int>();
  }
  // What poll(2) reported for the descriptor (POLLIN, POLLHUP, ...).
  short revents() const noexcept { return target.revents; }
};

#undef VINYL_IO_BLOCKING

inline read_op read(int fd, void *buf, std::size_t count) noexcept {
  return {{}, fd, buf, count};
}

inline write_op write(int fd, const void *buf, std::size_t count) noexcept {
  return {{}, fd, buf, count};
}

inline pread_op pread(int fd, void *buf, std::size_t count,
                      off_t offset) noexcept {
  return {{}, fd, buf, count, offset};
}

inline pwrite_op pwrite(int fd, const void *buf, std::size_t count,
                        off_t offset) noexcept {
  return {{}, fd, buf, count, offset};
}

inline recv_op recv(int fd, void *buf, std::size_t len, int flags) noexcept {
  return {{}, fd, buf, len, flags};
}

inline send_op send(int fd, const void *buf, std::size_t len,
                    int flags) noexcept {
  return {{}, fd, buf, len, flags};
}

inline recvfrom_op recvfrom(int fd, void *buf, std::size_t len, int flags,
                            sockaddr *src_addr, socklen_t *addrlen) noexcept {
  return {{}, fd, buf, len, flags, src_addr, addrlen};
}

inline sendto_op sendto(int fd, const void *buf, std::size_t len, int flags,
                        const sockaddr *dest_addr, socklen_t addrlen) noexcept {
  return {{}, fd, buf, len, flags, dest_addr, addrlen};
}

inline accept_op accept(int fd, sockaddr *addr, socklen_t *addrlen) noexcept {
  return {{}, fd, addr, addrlen};
}

inline accept4_op accept4(int fd, sockaddr *addr, socklen_t *addrlen,
                          int flags) noexcept {
  return {{}, fd, addr, addrlen, flags};
}

inline connect_op connect(int fd, const sockaddr *addr,
                          socklen_t addrlen) noexcept {
  return {{}, fd, addr, addrlen};
}

inline readv_op readv(int fd, const iovec *iov, int iovcnt) noexcept {
  return {{}, fd, iov, iovcnt};
}

inline writev_op writev(int fd, const iovec *iov, int iovcnt) noexcept {
  return {{}, fd, iov, iovcnt};
}

inline recvmsg_op recvmsg(int fd, msghdr *msg, int flags) noexcept {
  return {{}, fd, msg, flags};
}

inline sendmsg_op sendmsg(int fd, const msghdr *msg, int flags) noexcept {
  return {{}, fd, msg, flags};
}

inline poll_op poll(pollfd *fds, nfds_t nfds, int timeout) noexcept {
  return {{}, fds, nfds, timeout};
}

inline select_op select(int nfds, fd_set *readfds, fd_set *writefds,
                        fd_set *exceptfds, timeval *timeout) noexcept {
  return {{}, nfds, readfds, writefds, exceptfds, timeout};
}

inline sleep_op sleep(unsigned seconds) noexcept { return {{}, seconds}; }

inline usleep_op usleep(useconds_t usec) noexcept { return {{}, usec}; }

inline nanosleep_op nanosleep(const timespec *req, timespec *rem) noexcept {
  return {{}, req, rem};
}

// std::this_thread::sleep_for(d) becomes co_await vinyl::io::sleep_for(d),
// for any std::chrono::duration d.
template <detail::duration_like D>
sleep_for_op<D> sleep_for(const D &duration) noexcept {
  return {{}, duration};
}

// co_await vinyl::io::wait_readable(fd) waits until fd has data (or end of
// file, an error, a hang-up); wait_readable(fd, 2s) gives up after the
// timeout and yields 0.
inline wait_op wait_readable(int fd) noexcept {
  return {{}, pollfd{fd, POLLIN, 0}, detail::no_timeout};
}

template <detail::duration_like D>
wait_op wait_readable(int fd, const D &timeout) noexcept {
  return {{}, pollfd{fd, POLLIN, 0}, detail::timeout_ns(timeout)};
}

// co_await vinyl::io::wait_writable(fd[, timeout]): the same for room to
// write (or a finished connect).
inline wait_op wait_writable(int fd) noexcept {
  return {{}, pollfd{fd, POLLOUT, 0}, detail::no_timeout};
}

template <detail::duration_like D>
wait_op wait_writable(int fd, const D &timeout) noexcept {
  return {{}, pollfd{fd, POLLOUT, 0}, detail::timeout_ns(timeout)};
}

} // namespace vinyl::io
