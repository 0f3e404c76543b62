// vinyl::io: awaitable replacements for the blocking POSIX calls.
//
// `co_await vinyl::io::read(fd, buf, n)` takes the same arguments and yields
// the same value, with the same errno, as `::read(fd, buf, n)`. Under the
// blocking backend each awaitable is immediately ready and makes the real call
// in await_resume, so nothing runs between the call and the caller reading
// errno. An event-loop backend makes await_ready false, submits the operation
// in await_suspend, and yields the completion in await_resume; each operation
// is its own type carrying its arguments so a backend can tell them apart.
#pragma once

#include <cerrno>
#include <chrono>
#include <coroutine>
#include <cstddef>

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

namespace vinyl::io {

// Blocking backend: every operation is ready at once, so the awaiting
// coroutine never suspends and await_suspend is never called.
struct immediate {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
};

struct [[nodiscard]] read_op : immediate {
  int fd;
  void *buf;
  std::size_t count;
  ssize_t await_resume() const { return ::read(fd, buf, count); }
};

struct [[nodiscard]] write_op : immediate {
  int fd;
  const void *buf;
  std::size_t count;
  ssize_t await_resume() const { return ::write(fd, buf, count); }
};

struct [[nodiscard]] pread_op : immediate {
  int fd;
  void *buf;
  std::size_t count;
  off_t offset;
  ssize_t await_resume() const { return ::pread(fd, buf, count, offset); }
};

struct [[nodiscard]] pwrite_op : immediate {
  int fd;
  const void *buf;
  std::size_t count;
  off_t offset;
  ssize_t await_resume() const { return ::pwrite(fd, buf, count, offset); }
};

struct [[nodiscard]] recv_op : immediate {
  int fd;
  void *buf;
  std::size_t len;
  int flags;
  ssize_t await_resume() const { return ::recv(fd, buf, len, flags); }
};

struct [[nodiscard]] send_op : immediate {
  int fd;
  const void *buf;
  std::size_t len;
  int flags;
  ssize_t await_resume() const { return ::send(fd, buf, len, flags); }
};

struct [[nodiscard]] recvfrom_op : immediate {
  int fd;
  void *buf;
  std::size_t len;
  int flags;
  sockaddr *src_addr;
  socklen_t *addrlen;
  ssize_t await_resume() const {
    return ::recvfrom(fd, buf, len, flags, src_addr, addrlen);
  }
};

struct [[nodiscard]] sendto_op : immediate {
  int fd;
  const void *buf;
  std::size_t len;
  int flags;
  const sockaddr *dest_addr;
  socklen_t addrlen;
  ssize_t await_resume() const {
    return ::sendto(fd, buf, len, flags, dest_addr, addrlen);
  }
};

struct [[nodiscard]] accept_op : immediate {
  int fd;
  sockaddr *addr;
  socklen_t *addrlen;
  int await_resume() const { return ::accept(fd, addr, addrlen); }
};

struct [[nodiscard]] accept4_op : immediate {
  int fd;
  sockaddr *addr;
  socklen_t *addrlen;
  int flags;
  int await_resume() const { return ::accept4(fd, addr, addrlen, flags); }
};

struct [[nodiscard]] connect_op : immediate {
  int fd;
  const sockaddr *addr;
  socklen_t addrlen;
  int await_resume() const { return ::connect(fd, addr, addrlen); }
};

struct [[nodiscard]] poll_op : immediate {
  pollfd *fds;
  nfds_t nfds;
  int timeout;
  int await_resume() const { return ::poll(fds, nfds, timeout); }
};

struct [[nodiscard]] sleep_op : immediate {
  unsigned seconds;
  unsigned await_resume() const { return ::sleep(seconds); }
};

struct [[nodiscard]] usleep_op : immediate {
  useconds_t usec;
  int await_resume() const { return ::usleep(usec); }
};

struct [[nodiscard]] nanosleep_op : immediate {
  const timespec *req;
  timespec *rem;
  int await_resume() const { return ::nanosleep(req, rem); }
};

template <class Rep, class Period>
struct [[nodiscard]] sleep_for_op : immediate {
  std::chrono::duration<Rep, Period> duration;
  // What std::this_thread::sleep_for does, without <thread>, which costs
  // every converted file a third of a second of parsing: sleep the whole
  // duration, through signals.
  void await_resume() const {
    if (duration <= duration.zero())
      return;
    auto s = std::chrono::duration_cast<std::chrono::seconds>(duration);
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(duration - s);
    timespec ts{static_cast<time_t>(s.count()), static_cast<long>(ns.count())};
    while (::nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
  }
};

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

inline poll_op poll(pollfd *fds, nfds_t nfds, int timeout) noexcept {
  return {{}, fds, nfds, timeout};
}

inline sleep_op sleep(unsigned seconds) noexcept { return {{}, seconds}; }

inline usleep_op usleep(useconds_t usec) noexcept { return {{}, usec}; }

inline nanosleep_op nanosleep(const timespec *req, timespec *rem) noexcept {
  return {{}, req, rem};
}

template <class Rep, class Period>
sleep_for_op<Rep, Period>
sleep_for(const std::chrono::duration<Rep, Period> &duration) {
  return {{}, duration};
}

} // namespace vinyl::io
