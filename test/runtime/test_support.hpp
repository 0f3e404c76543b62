// What the runtime tests share: descriptors that close themselves (pipes,
// socketpairs, loopback sockets on ephemeral ports) and fixtures that put
// the process in a given I/O mode and backend for one test.
#pragma once

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

// Set in the ThreadSanitizer build (*_tsan), for the few tests that cannot
// run under it; each says why where it skips.
#if defined(__SANITIZE_THREAD__)
#define VINYL_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define VINYL_TEST_TSAN 1
#endif
#endif

namespace vinyl_test {

class fd_closer {
public:
  explicit fd_closer(int fd) : fd_(fd) {}
  fd_closer(fd_closer &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  fd_closer &operator=(fd_closer &&) = delete;
  ~fd_closer() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

struct pipe_fds {
  explicit pipe_fds(int flags = 0) {
    int fds[2];
    if (::pipe2(fds, flags) != 0)
      throw std::runtime_error(std::strerror(errno));
    read_end = fds[0];
    write_end = fds[1];
  }
  pipe_fds(const pipe_fds &) = delete;
  pipe_fds &operator=(const pipe_fds &) = delete;
  ~pipe_fds() {
    ::close(read_end);
    ::close(write_end);
  }
  int read_end, write_end;
};

struct socket_pair {
  socket_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
      throw std::runtime_error(std::strerror(errno));
    a = fds[0];
    b = fds[1];
  }
  socket_pair(const socket_pair &) = delete;
  socket_pair &operator=(const socket_pair &) = delete;
  ~socket_pair() {
    ::close(a);
    ::close(b);
  }
  int a, b;
};

// Fills the pipe behind write_end (made non-blocking for that, then given
// its blocking mode back); returns the bytes written.
inline std::size_t fill_pipe(int write_end) {
  const int flags = ::fcntl(write_end, F_GETFL);
  ::fcntl(write_end, F_SETFL, flags | O_NONBLOCK);
  std::size_t filled = 0;
  const std::string chunk(4096, 'f');
  for (ssize_t n; (n = ::write(write_end, chunk.data(), chunk.size())) > 0;)
    filled += static_cast<std::size_t>(n);
  ::fcntl(write_end, F_SETFL, flags);
  return filled;
}

// Ticks every `period` until `done`, calling on_tick after each sleep: the
// task that shows a loop serves others while one of its tasks waits.
template <class D, class F>
vinyl::task<int> tick_until(const bool &done, D period, F on_tick) {
  while (!done) {
    co_await vinyl::io::sleep_for(period);
    on_tick();
  }
  co_return 0;
}

// A descriptor number that is not open (the test opens nothing in between).
inline int closed_fd() {
  const int fd = ::open("/dev/null", O_RDONLY);
  ::close(fd);
  return fd;
}

// 127.0.0.1, port 0: bind picks an ephemeral port.
inline sockaddr_in loopback() {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A socket of `type` bound to 127.0.0.1 on an ephemeral port.
inline fd_closer bound_socket(int type, sockaddr_in &addr) {
  fd_closer fd(::socket(AF_INET, type, 0));
  addr = loopback();
  socklen_t len = sizeof addr;
  if (fd.get() < 0 ||
      ::bind(fd.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&addr), &len) != 0)
    throw std::runtime_error(std::strerror(errno));
  return fd;
}

inline const sockaddr *as_sockaddr(const sockaddr_in &addr) {
  return reinterpret_cast<const sockaddr *>(&addr);
}

// Raises the soft descriptor limit to at least n (up to the hard limit);
// returns what it is now.
inline rlim_t raise_fd_limit(rlim_t n) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < n) {
    limit.rlim_cur = n < limit.rlim_max ? n : limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

// From now on, system call `nr` gets `action` (SECCOMP_RET_ERRNO | ENOSYS,
// SECCOMP_RET_KILL_PROCESS, ...) in this process. For a death test's child:
// it cannot be undone.
inline void forbid_syscall(int nr, unsigned action) {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, action),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
    std::_Exit(3);
}

// Where a test runs: blocking mode, or async mode on one backend.
struct io_config {
  vinyl::io_mode mode;
  vinyl::io_backend backend;
};

inline std::string config_name(const io_config &c) {
  if (c.mode == vinyl::io_mode::blocking)
    return "Blocking";
  return c.backend == vinyl::io_backend::io_uring ? "AsyncIoUring"
                                                  : "AsyncEpoll";
}

inline void PrintTo(const io_config &c, std::ostream *os) {
  *os << config_name(c);
}

inline const io_config blocking{vinyl::io_mode::blocking,
                                vinyl::io_backend::automatic};
inline const io_config async_io_uring{vinyl::io_mode::async,
                                      vinyl::io_backend::io_uring};
inline const io_config async_epoll{vinyl::io_mode::async,
                                   vinyl::io_backend::epoll};

// Sets the mode and backend for one test and puts back what was there.
class with_io_config : public ::testing::TestWithParam<io_config> {
protected:
  void SetUp() override {
    saved_mode_ = vinyl::current_io_mode();
    saved_backend_ = vinyl::requested_io_backend();
    vinyl::set_io_mode(GetParam().mode);
    vinyl::set_io_backend(GetParam().backend);
  }
  void TearDown() override {
    vinyl::set_io_mode(saved_mode_);
    vinyl::set_io_backend(saved_backend_);
  }
  bool async() const { return GetParam().mode == vinyl::io_mode::async; }

private:
  vinyl::io_mode saved_mode_{};
  vinyl::io_backend saved_backend_{};
};

struct config_name_printer {
  std::string
  operator()(const ::testing::TestParamInfo<io_config> &info) const {
    return config_name(info.param);
  }
};

} // namespace vinyl_test
