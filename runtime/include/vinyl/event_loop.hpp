// The I/O mode switch and what both event-loop backends share.
//
// One binary runs both ways: the mode is read from VINYL_IO (blocking, the
// default, or async) the first time it is needed, or set from code. The
// I/O leaves do not look at the mode: they suspend exactly when an event loop
// is running on the calling thread (tls_loop), which block_on and run arrange
// in async mode only. That keeps the blocking fast path one thread-local load
// and one well-predicted branch per leaf.
//
// A suspended leaf hands the loop an `operation`: plain data naming the call
// and its arguments, where the backend writes the result (value or -errno)
// before resuming the waiting coroutine. It lives in the awaitable, i.e. in
// the suspended coroutine's frame, so starting one allocates nothing.
#pragma once

#include <vinyl/error.hpp>

#include <cerrno>
#include <coroutine>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

namespace vinyl {

enum class io_mode { blocking, async };

// Which kernel interface async mode uses. automatic: io_uring, or epoll when
// io_uring_setup fails (old kernel, seccomp, io_uring_disabled).
enum class io_backend { automatic, io_uring, epoll };

namespace detail {

// Accessed with the __atomic builtins rather than std::atomic, whose header
// costs every converted file parse time.
inline constexpr int unset_setting = -1;
inline int io_mode_setting = unset_setting;
inline int io_backend_setting = unset_setting;

[[noreturn]] inline void bad_environment(const char *name, const char *value,
                                         const char *expected) {
  throw invalid_setting(name, value, expected);
}

inline int io_mode_from_environment() {
  const char *value = std::getenv("VINYL_IO");
  if (!value || !*value || std::strcmp(value, "blocking") == 0)
    return static_cast<int>(io_mode::blocking);
  if (std::strcmp(value, "async") == 0)
    return static_cast<int>(io_mode::async);
  bad_environment("VINYL_IO", value, "blocking or async");
}

inline int io_backend_from_environment() {
  const char *value = std::getenv("VINYL_IO_BACKEND");
  if (!value || !*value || std::strcmp(value, "auto") == 0)
    return static_cast<int>(io_backend::automatic);
  if (std::strcmp(value, "io_uring") == 0)
    return static_cast<int>(io_backend::io_uring);
  if (std::strcmp(value, "epoll") == 0)
    return static_cast<int>(io_backend::epoll);
  bad_environment("VINYL_IO_BACKEND", value, "auto, io_uring or epoll");
}

// VINYL_STALL_WARN_MS=N (a debug setting): a task that runs N ms or more
// on an event loop without suspending is reported on stderr. -1: off; -2:
// the environment not read yet.
inline long long stall_warn_setting = -2;

inline long long stall_warn_from_environment() {
  const char *value = std::getenv("VINYL_STALL_WARN_MS");
  if (!value || !*value)
    return -1;
  char *end = nullptr;
  const unsigned long ms = std::strtoul(value, &end, 10);
  if (*end != '\0' || ms == 0 || ms > 3'600'000)
    bad_environment("VINYL_STALL_WARN_MS", value,
                    "a number of milliseconds from 1 to 3600000");
  return static_cast<long long>(ms) * 1'000'000LL;
}

inline long long stall_warn_ns() {
  long long value = __atomic_load_n(&stall_warn_setting, __ATOMIC_RELAXED);
  if (value != -2)
    return value;
  value = stall_warn_from_environment();
  __atomic_store_n(&stall_warn_setting, value, __ATOMIC_RELAXED);
  return value;
}

// Reads the environment once; a value set from code wins over it.
inline int setting(int &slot, int (*from_environment)()) {
  int value = __atomic_load_n(&slot, __ATOMIC_RELAXED);
  if (value != unset_setting)
    return value;
  value = from_environment();
  int expected = unset_setting;
  if (__atomic_compare_exchange_n(&slot, &expected, value, false,
                                  __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    return value;
  return expected;
}

} // namespace detail

// The mode block_on, run and spawn use. Throws invalid_setting if
// VINYL_IO holds something else than blocking or async.
inline io_mode current_io_mode() {
  return static_cast<io_mode>(detail::setting(
      detail::io_mode_setting, detail::io_mode_from_environment));
}

// Takes effect for the next block_on, run or spawn; loops already running
// keep going.
inline void set_io_mode(io_mode mode) noexcept {
  __atomic_store_n(&detail::io_mode_setting, static_cast<int>(mode),
                   __ATOMIC_RELAXED);
}

// VINYL_IO_BACKEND=auto|io_uring|epoll, or what set_io_backend stored.
inline io_backend requested_io_backend() {
  return static_cast<io_backend>(detail::setting(
      detail::io_backend_setting, detail::io_backend_from_environment));
}

// A debug aid: from the next run of a loop on, a task that runs `ms`
// milliseconds or more without suspending is reported on stderr, since
// every other task of its loop waits meanwhile; a leaf that makes the
// blocking call instead of waiting on readiness or offload does that.
// 0 turns it off. VINYL_STALL_WARN_MS sets it from the environment.
inline void set_stall_warning_ms(unsigned ms) noexcept {
  __atomic_store_n(&detail::stall_warn_setting,
                   ms == 0 ? -1LL : static_cast<long long>(ms) * 1'000'000LL,
                   __ATOMIC_RELAXED);
}

// Takes effect for loops created afterwards (each thread caches an idle
// loop, which is replaced when the requested backend changes).
inline void set_io_backend(io_backend backend) noexcept {
  __atomic_store_n(&detail::io_backend_setting, static_cast<int>(backend),
                   __ATOMIC_RELAXED);
}

namespace detail {

// A growable array of trivially copyable values: what the loops need of
// std::vector, without the parse time <vector> would add to every converted
// file.
template <class T> class pod_vector {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  pod_vector() = default;
  pod_vector(const pod_vector &) = delete;
  pod_vector &operator=(const pod_vector &) = delete;
  ~pod_vector() { std::free(data_); }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  T &operator[](std::size_t i) noexcept { return data_[i]; }
  T &front() noexcept { return data_[0]; }
  T &back() noexcept { return data_[size_ - 1]; }
  T *begin() noexcept { return data_; }
  T *end() noexcept { return data_ + size_; }

  void push_back(const T &value) {
    if (size_ == capacity_)
      grow(size_ + 1);
    data_[size_++] = value;
  }
  void pop_back() noexcept { --size_; }
  void clear() noexcept { size_ = 0; }
  // New elements are value-initialised.
  void resize(std::size_t n) {
    if (n > capacity_)
      grow(n);
    for (std::size_t i = size_; i < n; ++i)
      data_[i] = T{};
    size_ = n;
  }
  void swap(pod_vector &other) noexcept {
    // By hand: std::swap's noexcept traits cost parse time for each type.
    T *data = data_;
    const std::size_t size = size_, capacity = capacity_;
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = data;
    other.size_ = size;
    other.capacity_ = capacity;
  }

private:
  void grow(std::size_t needed) {
    std::size_t capacity = capacity_ ? 2 * capacity_ : 16;
    if (capacity < needed)
      capacity = needed;
    void *p = std::realloc(static_cast<void *>(data_), capacity * sizeof(T));
    if (!p)
      throw std::bad_alloc();
    data_ = static_cast<T *>(p);
    capacity_ = capacity;
  }

  T *data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

enum class op_code : unsigned char {
  read,
  write,
  pread,
  pwrite,
  recv,
  send,
  recvfrom,
  sendto,
  accept,
  connect,
  poll,
  sleep,
  readv,
  writev,
  recvmsg,
  sendmsg,
  offload, // a call run by a worker thread (vinyl/offload.hpp)
  inbox,   // the loop's own wait for offloaded calls that finished
};

struct operation;

// An offloaded call, as the loop and the worker pool see it. It lives in
// the awaitable, in the suspended coroutine's frame. The worker runs it,
// then hands it back to the loop that started it (post_remote).
struct offload_job {
  void (*run)(offload_job &) noexcept;
  void *context;     // what run works on: the awaitable, or a strand
  class event_loop *loop;
  operation *op;
  offload_job *next; // the pool's queue, a strand's queue, the loop's inbox
};

// One suspended leaf. The leaf fills in the call, `waiter` and `saved_errno`;
// the backend writes `result` and owns the state below it while the
// operation is in flight.
struct operation {
  op_code code;
  int fd;
  int flags;       // recv/send flags, accept4 flags
  void *buf;       // pollfd array for poll, iovec array for readv and
                   // writev, msghdr for recvmsg and sendmsg
  std::size_t len; // nfds for poll; bytes in all for the vectored calls
  int iovcnt;      // readv, writev
  off_t offset;
  sockaddr *addr;
  socklen_t *addrlen_out; // accept, recvfrom
  socklen_t addrlen;      // connect, sendto
  long long nanoseconds;  // sleep; poll timeout, negative for none

  // The suspended coroutine's address. A plain pointer, not a
  // coroutine_handle, so constructing a leaf in blocking mode stores nothing.
  void *waiter;
  long long result; // the call's value, or -errno
  int saved_errno;  // restored on success, which leaves errno alone

  // Backend state.
  std::size_t done;   // bytes done of a transfer that must complete
  int file_flags;     // F_GETFL of fd, -1 until needed
  bool first_try;     // io_uring: submitted not to wait (see start)
  long long deadline; // CLOCK_MONOTONIC ns: sleep, poll timeout, socket
                      // timeout (deadline_unknown until looked up)
  int wait_fd;        // what poll waits on: its one fd, or an epoll set
  unsigned wait_events;
  operation *next; // epoll: the other waiters of the same fd
  std::size_t timer_slot;
  msghdr msg; // io_uring recvfrom/sendto; a vectored call's continuation
  iovec iov;
  struct {
    long long tv_sec, tv_nsec;
  } timeout; // io_uring's __kernel_timespec
};

// Where the loops keep their own descriptors: high, out of the way of a
// program that assumes small numbers are free (or closes them blindly). A
// quarter of the soft descriptor limit below that limit, and not below 100.
inline int place_high(int fd) noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return fd;
  const rlim_t floor = limit.rlim_cur - limit.rlim_cur / 4;
  if (floor < 100 || floor > 1 << 30 || static_cast<rlim_t>(fd) >= floor)
    return fd;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, static_cast<int>(floor));
  if (high < 0)
    return fd;
  ::close(fd);
  return high;
}

// What a loop's descriptor refers to, recorded when the loop is made, so
// that an error of the loop's own calls can tell a program that closed (or
// replaced) the descriptor from any other failure.
struct file_identity {
  dev_t device = 0;
  ino_t inode = 0;

  static file_identity of(int fd) noexcept {
    struct stat st{};
    if (::fstat(fd, &st) != 0)
      return {};
    return {st.st_dev, st.st_ino};
  }
  bool operator==(const file_identity &) const = default;
};

// Closes a loop's descriptor unless the program closed it already and the
// number now names one of the program's files.
inline void close_own(int fd, const file_identity &identity) noexcept {
  if (file_identity::of(fd) == identity)
    ::close(fd);
}

// Throws the error a failed call of the loop's own (epoll_wait,
// io_uring_enter) stands for: the program closed or replaced the loop's
// descriptor, or what the system said.
[[noreturn]] inline void loop_call_failed(int fd, const file_identity &identity,
                                          int error) {
  if (file_identity::of(fd) != identity) {
    char message[96] = "vinyl: the program closed or replaced the event "
                       "loop's descriptor ";
    char digits[12];
    std::size_t n = 0;
    for (unsigned v = static_cast<unsigned>(fd); n == 0 || v != 0; v /= 10)
      digits[n++] = static_cast<char>('0' + v % 10);
    std::size_t end = std::strlen(message);
    while (n != 0 && end + 1 < sizeof message)
      message[end++] = digits[--n];
    message[end] = '\0';
    throw os_error(message, EBADF);
  }
  throw os_error("vinyl: the event loop's wait failed", error);
}

// The locks of fd_flags_lock (below), one per stripe of descriptor
// numbers, each on a cache line of its own.
struct alignas(64) fd_flags_stripe {
  int word;
};
inline constexpr unsigned fd_flags_stripes = 32;
inline fd_flags_stripe fd_flags_locks[fd_flags_stripes] = {};

// Counts the forks this process came from, so that a loop cached before a
// fork is not reused in the child (an io_uring instance takes submissions
// from its creator only) without asking getpid on every block_on.
inline unsigned fork_generation = 0;

inline void count_fork() noexcept {
  __atomic_add_fetch(&fork_generation, 1, __ATOMIC_RELAXED);
  // The child has only the thread that forked, which held none of them: a
  // lock another thread held at the fork would never be let go here.
  for (fd_flags_stripe &stripe : fd_flags_locks)
    __atomic_store_n(&stripe.word, 0, __ATOMIC_RELAXED);
}

inline unsigned current_fork_generation() noexcept {
  // Registered once per process, the first time a loop is made.
  static const bool registered =
      ::pthread_atfork(nullptr, nullptr, count_fork) == 0;
  (void)registered;
  return __atomic_load_n(&fork_generation, __ATOMIC_RELAXED);
}

inline void spin_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// O_NONBLOCK belongs to the open file description, which every thread of
// the process shares. The epoll backend sets it for the length of one call
// (the descriptor is the program's, and stays blocking otherwise), so two
// loops on different threads calling on one descriptor at once (a
// listening socket every thread's loop accepts on, a pipe several loops
// read) saw each other's temporary flag: one took it for the program's own
// choice and gave the program EAGAIN from a blocking accept or read
// (AsyncThreads.EightLoopsShareAListenerAndAPipe, in threads_test.cpp,
// failed 17 runs in 20 that way), or could put the flags back after the
// other had, leaving the descriptor non-blocking. Reading the flags,
// setting them, the call and putting them back are therefore one step for
// the process, under a lock per stripe of descriptor numbers (unrelated
// descriptors rarely share one). Held for a few system calls that do not
// wait, except on a regular file, where O_NONBLOCK means nothing and the
// epoll backend's reads block anyway. One description open under two
// numbers in two loops at once is not covered, nor a plain blocking call
// of another thread, which still sees the flag (see docs/runtime.md).
class fd_flags_lock {
public:
  explicit fd_flags_lock(int fd) noexcept
      : word_(&fd_flags_locks[static_cast<unsigned>(fd) % fd_flags_stripes]
                   .word) {
    for (unsigned i = 1; __atomic_exchange_n(word_, 1, __ATOMIC_ACQUIRE);) {
      while (__atomic_load_n(word_, __ATOMIC_RELAXED)) {
        spin_pause();
        if (++i % 64 == 0)
          ::sched_yield();
      }
    }
  }
  fd_flags_lock(const fd_flags_lock &) = delete;
  fd_flags_lock &operator=(const fd_flags_lock &) = delete;
  ~fd_flags_lock() { __atomic_store_n(word_, 0, __ATOMIC_RELEASE); }

private:
  int *word_;
};

inline long long monotonic_ns() noexcept;

// How long a thread that expects work from another one looks for it before
// sleeping in the kernel: a futex or eventfd wake-up costs a context switch
// on each side, more than a short offloaded call (an SQLite point select
// takes about 10 microseconds).
inline constexpr long long spin_ns = 50'000;

// Whether ready() came true within spin_ns.
template <class Ready> bool spin_briefly(Ready ready) noexcept {
  const long long until = monotonic_ns() + spin_ns;
  for (unsigned i = 1;; ++i) {
    if (ready())
      return true;
    spin_pause();
    if (i % 64 == 0 && monotonic_ns() > until)
      return false;
  }
}

// The longest wait or sleep the loops are asked for: a century.
inline constexpr long long longest_wait_ns =
    100LL * 365 * 24 * 3600 * 1'000'000'000;

inline long long monotonic_ns() noexcept {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

inline long long result_of(long long value) noexcept {
  return value < 0 ? -errno : value;
}

inline bool is_socket_call(op_code code) noexcept {
  return code == op_code::recv || code == op_code::send ||
         code == op_code::recvfrom || code == op_code::sendto ||
         code == op_code::recvmsg || code == op_code::sendmsg;
}

inline bool is_write(op_code code) noexcept {
  return code == op_code::write || code == op_code::pwrite ||
         code == op_code::send || code == op_code::sendto ||
         code == op_code::writev || code == op_code::sendmsg;
}

inline bool is_message_call(op_code code) noexcept {
  return code == op_code::recvmsg || code == op_code::sendmsg;
}

// Whether the blocking call returns only once the whole buffer is done (or
// end of file, or an error): writes, and receives with MSG_WAITALL. The
// loops then go on after a partial transfer.
inline bool transfers_all(const operation &op) noexcept {
  return is_write(op.code) ||
         ((op.code == op_code::recv || op.code == op_code::recvfrom ||
           op.code == op_code::recvmsg) &&
          (op.flags & MSG_WAITALL));
}

// The bytes in all of an iovec array, for the loops' "is the transfer
// done" test.
inline std::size_t total_length(const iovec *iov, std::size_t count) noexcept {
  std::size_t total = 0;
  for (std::size_t i = 0; i != count; ++i)
    total += iov[i].iov_len;
  return total;
}

// A vectored transfer that must go on after a partial one (a blocking
// writev or sendmsg, a MSG_WAITALL recvmsg) goes on one segment at a time,
// from the first byte not done: op.iov is that segment, and for the message
// calls op.msg is the caller's header around it, without the ancillary
// data, which went with the first part. Returns what to pass to the call.
inline void *continuation(operation &op) noexcept {
  const bool message = is_message_call(op.code);
  const auto *header = static_cast<const msghdr *>(op.buf);
  const iovec *iov = message ? header->msg_iov : static_cast<iovec *>(op.buf);
  const std::size_t count = message ? header->msg_iovlen
                                    : static_cast<std::size_t>(op.iovcnt);
  std::size_t skip = op.done;
  op.iov = iovec{nullptr, 0};
  for (std::size_t i = 0; i != count; ++i) {
    if (skip < iov[i].iov_len) {
      op.iov = iovec{static_cast<char *>(iov[i].iov_base) + skip,
                     iov[i].iov_len - skip};
      break;
    }
    skip -= iov[i].iov_len;
  }
  if (!message)
    return &op.iov;
  op.msg = *header;
  op.msg.msg_iov = &op.iov;
  op.msg.msg_iovlen = 1;
  op.msg.msg_control = nullptr;
  op.msg.msg_controllen = 0;
  return &op.msg;
}

// The call itself, from byte op.done on: value or -errno. What the loops do
// when waiting is not wanted, and epoll's retry after readiness.
inline long long call_now(operation &op, int extra_msg_flags = 0) noexcept {
  const int msg_flags = op.flags | extra_msg_flags;
  if (op.code == op_code::readv || op.code == op_code::writev) {
    const bool whole = op.done == 0;
    const auto *iov =
        static_cast<const iovec *>(whole ? op.buf : continuation(op));
    const int count = whole ? op.iovcnt : 1;
    return result_of(op.code == op_code::readv ? ::readv(op.fd, iov, count)
                                               : ::writev(op.fd, iov, count));
  }
  if (is_message_call(op.code)) {
    auto *message =
        static_cast<msghdr *>(op.done == 0 ? op.buf : continuation(op));
    return result_of(op.code == op_code::recvmsg
                         ? ::recvmsg(op.fd, message, msg_flags)
                         : ::sendmsg(op.fd, message, msg_flags));
  }
  char *buf = static_cast<char *>(op.buf) + op.done;
  const std::size_t left = op.len - op.done;
  const off_t offset = op.offset + static_cast<off_t>(op.done);
  switch (op.code) {
  case op_code::read:
    return result_of(::read(op.fd, buf, left));
  case op_code::write:
    return result_of(::write(op.fd, buf, left));
  case op_code::pread:
    return result_of(::pread(op.fd, buf, left, offset));
  case op_code::pwrite:
    return result_of(::pwrite(op.fd, buf, left, offset));
  case op_code::recv:
    return result_of(::recv(op.fd, buf, left, msg_flags));
  case op_code::send:
    return result_of(::send(op.fd, buf, left, msg_flags));
  case op_code::recvfrom:
    return result_of(
        ::recvfrom(op.fd, buf, left, msg_flags, op.addr, op.addrlen_out));
  case op_code::sendto:
    return result_of(
        ::sendto(op.fd, buf, left, msg_flags, op.addr, op.addrlen));
  case op_code::accept:
    return result_of(::accept4(op.fd, op.addr, op.addrlen_out, op.flags));
  case op_code::connect:
    return result_of(::connect(op.fd, op.addr, op.addrlen));
  case op_code::poll:
  case op_code::sleep:
  case op_code::readv:
  case op_code::writev:
  case op_code::recvmsg:
  case op_code::sendmsg:
  case op_code::offload:
  case op_code::inbox:
    break;
  }
  return -EINVAL;
}

// op.deadline of a transfer before anyone looked for a socket timeout; -1
// is "none".
inline constexpr long long deadline_unknown = -2;

// A socket's timeout for `option` (SO_RCVTIMEO or SO_SNDTIMEO) in
// nanoseconds, -1 when there is none or fd is no socket.
inline long long socket_timeout_ns(int fd, int option) noexcept {
  timeval tv{};
  socklen_t len = sizeof tv;
  if (::getsockopt(fd, SOL_SOCKET, option, &tv, &len) != 0 ||
      (tv.tv_sec == 0 && tv.tv_usec == 0))
    return -1;
  return tv.tv_sec * 1'000'000'000LL + tv.tv_usec * 1'000LL;
}

// The deadline a blocking call of op's socket honours, from now:
// SO_RCVTIMEO for receives and accept, SO_SNDTIMEO for sends and connect
// (socket(7)). -1 when there is none, or the descriptor is no socket. Asked
// only when an operation is about to wait, so a call that completes at once
// costs nothing more.
inline long long socket_deadline(const operation &op) noexcept {
  if (op.code == op_code::pread || op.code == op_code::pwrite)
    return -1;
  const bool sending = is_write(op.code) || op.code == op_code::connect;
  const long long timeout =
      socket_timeout_ns(op.fd, sending ? SO_SNDTIMEO : SO_RCVTIMEO);
  return timeout < 0 ? -1 : monotonic_ns() + timeout;
}

// Looks the socket's timeout up the first time op is to wait.
inline void find_deadline(operation &op) noexcept {
  if (op.deadline == deadline_unknown)
    op.deadline = socket_deadline(op);
}

// What the blocking call returns when its socket timeout passes: the bytes
// moved so far if any, else EAGAIN (EINPROGRESS for connect, which goes on
// in the background).
inline long long timed_out_result(const operation &op) noexcept {
  if (op.code == op_code::connect)
    return -EINPROGRESS;
  if (transfers_all(op) && op.done > 0)
    return static_cast<long long>(op.done);
  return -EAGAIN;
}

// Whether the program asked for this call not to block (MSG_DONTWAIT, or an
// O_NONBLOCK descriptor), so EAGAIN is its answer rather than a reason to
// wait. Reads the descriptor's flags once per operation.
inline bool caller_nonblocking(operation &op) noexcept {
  if (is_socket_call(op.code) && (op.flags & MSG_DONTWAIT))
    return true;
  if (op.file_flags == -1) {
    // Not while an epoll loop on another thread has set O_NONBLOCK for
    // one call (see fd_flags_lock).
    const fd_flags_lock lock(op.fd);
    op.file_flags = ::fcntl(op.fd, F_GETFL);
  }
  // A descriptor that is not open: the call fails at once anyway.
  return op.file_flags == -1 || (op.file_flags & O_NONBLOCK);
}

// poll(2) in async mode: the real call with timeout 0 decides (and checks
// the arguments); only when nothing is ready yet does the loop wait, on the
// single descriptor or on an epoll set of all of them, and then asks poll(2)
// again. Returns false when poll(2) already answered (op.result is set).
inline bool prepare_poll(operation &op) noexcept {
  auto *fds = static_cast<pollfd *>(op.buf);
  const int ready = ::poll(fds, static_cast<nfds_t>(op.len), 0);
  if (ready != 0 || op.nanoseconds == 0) {
    op.result = result_of(ready);
    return false;
  }
  // No descriptor to wait for (none given, or all negative): a sleep of the
  // timeout, forever being a century. The loops dispatch on op.code again.
  bool any = false;
  for (std::size_t i = 0; i != op.len && !any; ++i)
    any = fds[i].fd >= 0;
  if (!any) {
    op.code = op_code::sleep;
    if (op.nanoseconds < 0)
      op.nanoseconds = longest_wait_ns;
    return true;
  }
  op.deadline = op.nanoseconds < 0 ? -1 : monotonic_ns() + op.nanoseconds;
  if (op.len == 1) {
    op.wait_fd = fds[0].fd;
    op.wait_events = static_cast<unsigned>(fds[0].events);
    return true;
  }
  // Descriptors that are negative are ignored by poll(2); closed ones would
  // have made it report POLLNVAL above.
  op.wait_fd = ::epoll_create1(EPOLL_CLOEXEC);
  op.wait_events = POLLIN;
  if (op.wait_fd < 0) {
    op.result = -errno;
    return false;
  }
  for (std::size_t i = 0; i != op.len; ++i) {
    if (fds[i].fd < 0)
      continue;
    epoll_event ev{};
    ev.events = static_cast<unsigned>(fds[i].events);
    ev.data.fd = fds[i].fd;
    if (::epoll_ctl(op.wait_fd, EPOLL_CTL_ADD, fds[i].fd, &ev) != 0 &&
        errno != EEXIST && errno != EPERM) {
      op.result = -errno;
      ::close(op.wait_fd);
      return false;
    }
  }
  return true;
}

// After the wait: the real poll(2) fills in revents. Returns false (and
// leaves the op waiting) when the wake-up was spurious and time remains.
inline bool finish_poll(operation &op, bool timed_out) noexcept {
  const int ready =
      ::poll(static_cast<pollfd *>(op.buf), static_cast<nfds_t>(op.len), 0);
  if (ready == 0 && !timed_out &&
      (op.deadline < 0 || monotonic_ns() < op.deadline))
    return false;
  if (op.len != 1)
    ::close(op.wait_fd);
  op.result = result_of(ready);
  return true;
}

// A task started by spawn on a loop: linked into the loop so the loop knows
// when all of them finished, and can destroy them if they never can.
struct detached_link {
  detached_link *prev = nullptr;
  detached_link *next = nullptr;
  std::coroutine_handle<> frame;
};

// An event loop on one thread. The backends implement start and wait; the
// scheduling (ready queue, spawned tasks, when to stop) is here.
class event_loop {
public:
  event_loop() = default;
  event_loop(const event_loop &) = delete;
  event_loop &operator=(const event_loop &) = delete;
  virtual ~event_loop() { forget_offloads(); }

  virtual io_backend backend() const noexcept = 0;

  // The loop's own descriptor (an epoll set or an io_uring instance).
  virtual int descriptor() const noexcept = 0;

  // Whether the loop was made in this process rather than inherited through
  // a fork.
  bool made_in_this_process() const noexcept {
    return generation_ == __atomic_load_n(&fork_generation, __ATOMIC_RELAXED);
  }

  // Starts op on behalf of op.waiter. Returns false if it completed at once
  // (op.result is set and the waiter need not suspend); otherwise the loop
  // resumes op.waiter once op.result is set.
  bool submit(operation &op) {
    if (op.code == op_code::offload)
      start_offload();
    else if (!start(op))
      return false;
    ++in_flight_;
    return true;
  }

  // Undoes the submit of an offload the pool refused.
  void cancel_offload(operation &) noexcept {
    --in_flight_;
    --offloads_;
  }

  // From a worker thread: the offloaded call is done; the loop resumes its
  // waiter. Lock-free (a stack the loop takes whole); the loop's eventfd is
  // written only when the stack was empty, so a burst costs one wake-up.
  void post_remote(offload_job &job) noexcept {
    // Once the job is in, the loop may finish with it at any moment; the
    // count of posters in progress keeps the loop itself alive until this
    // function stops touching it (see forget_offloads).
    __atomic_add_fetch(&posting_, 1, __ATOMIC_ACQUIRE);
    offload_job *head = __atomic_load_n(&remote_, __ATOMIC_RELAXED);
    do
      job.next = head;
    while (!__atomic_compare_exchange_n(&remote_, &head, &job, true,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    // A loop spinning for it sees it without the system calls of a
    // wake-up (see spin_for_remote for why none is lost).
    if (!head && !__atomic_load_n(&spinning_, __ATOMIC_SEQ_CST)) {
      const unsigned long long one = 1;
      (void)!::write(inbox_fd_, &one, sizeof one);
    }
    __atomic_sub_fetch(&posting_, 1, __ATOMIC_RELEASE);
  }

  // Resumes h from the loop, after the coroutine running now suspends.
  void post(std::coroutine_handle<> h) { ready_.push_back(h); }

  void adopt(detached_link &link) noexcept {
    link.next = detached_;
    if (detached_)
      detached_->prev = &link;
    detached_ = &link;
    ++detached_count_;
  }

  void release(detached_link &link) noexcept {
    if (link.prev)
      link.prev->next = link.next;
    else
      detached_ = link.next;
    if (link.next)
      link.next->prev = link.prev;
    --detached_count_;
  }

  std::size_t detached_count() const noexcept { return detached_count_; }

  // Whether the loop can serve another run: nothing in flight, nothing left
  // over from the last one.
  bool idle() const noexcept {
    return in_flight_ == 0 && detached_count_ == 0 &&
           ready_head_ == ready_.size();
  }

  // Runs until done() holds after a step. When nothing can make progress any
  // more, throws deadlock; the outermost run destroys the spawned tasks left
  // first. A run may nest in another on the same loop (a facade called from
  // a task): the inner one serves every task while it waits for its own.
  template <class Done> void run_until(Done done) {
    struct depth_guard {
      unsigned &depth;
      explicit depth_guard(unsigned &d) noexcept : depth(d) { ++depth; }
      ~depth_guard() { --depth; }
    } guard(depth_);
    if (depth_ == 1)
      stall_ns_ = stall_warn_ns();
    else
      ++nested_runs_;
    for (;;) {
      run_ready();
      if (done())
        return;
      if (in_flight_ == 0) {
        // Each frame unlinks itself as it is destroyed. A nested run leaves
        // them to the outer one, whose frames are on the stack below.
        if (depth_ == 1)
          while (detached_)
            detached_->frame.destroy();
        throw deadlock();
      }
      if (spin_for_remote()) {
        complete_remote();
        continue;
      }
      wait();
    }
  }

protected:
  // Backends call this when an operation they started has finished.
  void complete(operation &op) {
    --in_flight_;
    resume(std::coroutine_handle<>::from_address(op.waiter));
  }

  // Resumes h. With a stall warning set, a resumption that kept the loop
  // that long is reported, unless a run nested in it (a facade's) served
  // the loop meanwhile.
  void resume(std::coroutine_handle<> h) {
    if (stall_ns_ < 0) [[likely]] {
      h.resume();
      return;
    }
    const unsigned long nested = nested_runs_;
    const long long start = monotonic_ns();
    h.resume();
    const long long took = monotonic_ns() - start;
    if (took >= stall_ns_ && nested == nested_runs_)
      std::fprintf(stderr,
                   "vinyl: a task ran %lld ms on the event loop without "
                   "suspending, and every other task of the loop waited "
                   "meanwhile: a call that blocks the thread (a leaf that "
                   "makes the blocking call instead of waiting on readiness "
                   "or offload, or long CPU work) (VINYL_STALL_WARN_MS=%lld)"
                   "\n",
                   took / 1'000'000, stall_ns_ / 1'000'000);
  }

  // Backends call this when the inbox descriptor (watched through
  // watch_inbox) is readable: the offloaded calls that finished resume.
  void drain_inbox() {
    inbox_watched_ = false;
    unsigned long long count;
    (void)!::read(inbox_fd_, &count, sizeof count);
    complete_remote();
    if (offloads_ != 0)
      watch_inbox_once();
  }

  // Resumes the waiters of the offloaded calls handed back, oldest first.
  void complete_remote() {
    offload_job *done = __atomic_exchange_n(&remote_, nullptr, __ATOMIC_ACQUIRE);
    offload_job *ordered = nullptr;
    while (done) {
      offload_job *next = done->next;
      done->next = ordered;
      ordered = done;
      done = next;
    }
    while (ordered) {
      offload_job *job = ordered;
      ordered = job->next;
      --offloads_;
      complete(*job->op);
    }
  }

  // Called by the backends' destructors: a loop that goes away while calls
  // it offloaded still run (an exception cut its run short) waits for them,
  // since they write into frames that are destroyed after the loop.
  void forget_offloads() noexcept {
    // A forked child has no workers: what its copy of the loop counts
    // belongs to the parent.
    if (!made_in_this_process()) {
      if (inbox_fd_ >= 0)
        ::close(inbox_fd_);
      return;
    }
    while (offloads_ != 0) {
      pollfd p{inbox_fd_, POLLIN, 0};
      (void)::poll(&p, 1, -1);
      unsigned long long count;
      (void)!::read(inbox_fd_, &count, sizeof count);
      for (offload_job *job =
               __atomic_exchange_n(&remote_, nullptr, __ATOMIC_ACQUIRE);
           job; job = job->next)
        --offloads_;
    }
    while (__atomic_load_n(&posting_, __ATOMIC_ACQUIRE) != 0)
      ::sched_yield();
    if (inbox_fd_ >= 0)
      ::close(inbox_fd_);
  }

  std::size_t in_flight() const noexcept { return in_flight_; }

private:
  // When all the loop waits for is offloaded calls, it looks for them a
  // little before sleeping in the kernel: a call that takes microseconds
  // then costs no wake-up of this thread. True when some came back.
  //
  // While it spins, posters do not write the eventfd. No hand-back is lost
  // when it stops: it clears spinning_ and then looks at remote_ again,
  // while a poster publishes its job and then looks at spinning_ (all
  // sequentially consistent), so one of the two sees the other.
  bool spin_for_remote() noexcept {
    if (offloads_ == 0 || offloads_ != in_flight_)
      return false;
    __atomic_store_n(&spinning_, true, __ATOMIC_SEQ_CST);
    bool back = spin_briefly(
        [&] { return __atomic_load_n(&remote_, __ATOMIC_ACQUIRE) != nullptr; });
    __atomic_store_n(&spinning_, false, __ATOMIC_SEQ_CST);
    if (!back)
      back = __atomic_load_n(&remote_, __ATOMIC_SEQ_CST) != nullptr;
    return back;
  }

  void watch_inbox_once() {
    if (inbox_watched_)
      return;
    inbox_watched_ = true;
    watch_inbox(inbox_fd_);
  }

  // The pool runs the job once submit returned (vinyl/offload.hpp); the
  // loop only arranges to hear back. Throws os_error without an eventfd.
  void start_offload() {
    if (inbox_fd_ < 0) {
      const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (fd < 0)
        throw os_error("vinyl::offload: cannot create an eventfd", errno);
      inbox_fd_ = place_high(fd);
    }
    watch_inbox_once();
    ++offloads_;
  }

  virtual bool start(operation &op) = 0;
  // Arms a one-shot wait for fd (the inbox eventfd) to be readable, after
  // which the backend calls drain_inbox.
  virtual void watch_inbox(int fd) = 0;
  // Blocks until at least one started operation completes (or a spurious
  // wake-up), and completes what finished.
  virtual void wait() = 0;

  // A pass resumes what is ready when it starts; handles posted meanwhile
  // wait for the next pass, so a task that keeps posting cannot starve the
  // others. The queue is consumed by index, so that a run nested in one of
  // these resumptions takes the rest of the pass over, and the outer run
  // resumes nothing twice.
  void run_ready() {
    while (ready_head_ != ready_.size()) {
      for (std::size_t n = ready_.size() - ready_head_;
           n != 0 && ready_head_ != ready_.size(); --n) {
        const std::coroutine_handle<> h = ready_[ready_head_++];
        resume(h);
      }
    }
    ready_.clear();
    ready_head_ = 0;
  }

  unsigned generation_ = current_fork_generation();
  unsigned depth_ = 0;
  // The stall warning of the outermost run (-1: off), and how many runs
  // nested in it have started.
  long long stall_ns_ = -1;
  unsigned long nested_runs_ = 0;
  // Offloaded calls: an eventfd made with the first, those not back yet,
  // and those a worker handed back, newest first.
  int inbox_fd_ = -1;
  bool inbox_watched_ = false;
  std::size_t offloads_ = 0;
  offload_job *remote_ = nullptr;
  unsigned posting_ = 0;
  bool spinning_ = false;
  std::size_t in_flight_ = 0;
  detached_link *detached_ = nullptr;
  std::size_t detached_count_ = 0;
  pod_vector<std::coroutine_handle<>> ready_;
  std::size_t ready_head_ = 0;
};

// The loop running on this thread, if any. Constant-initialised, so reading
// it is a plain %fs-relative load.
inline constinit thread_local event_loop *tls_loop = nullptr;

} // namespace detail

// Whether an event loop runs on this thread: what an adapter asks to choose
// between waiting for readiness (or offloading) and making the plain call.
inline bool on_event_loop() noexcept { return detail::tls_loop != nullptr; }
} // namespace vinyl
