// The epoll backend of the event loop: readiness plus non-blocking retry, for
// kernels or sandboxes without io_uring (or VINYL_IO_BACKEND=epoll).
//
// A leaf first makes its call without blocking: socket calls with
// MSG_DONTWAIT, the others with O_NONBLOCK set on the file for the duration
// of the call (and restored right after, since the descriptor belongs to the
// program). Only when that says EAGAIN, and the program itself did not ask
// for a non-blocking call, does the operation wait for readiness (one-shot
// epoll registration per descriptor, shared by all its waiters) and retry.
// Timers are a binary heap ordered by deadline; epoll_wait sleeps until the
// earliest one.
#pragma once

#include <vinyl/event_loop.hpp>

#include <climits>

namespace vinyl::detail {

class epoll_loop final : public event_loop {
public:
  // nullptr, with errno set, if no epoll instance can be created.
  static epoll_loop *create() {
    const int fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0)
      return nullptr;
    return new epoll_loop(place_high(fd));
  }

  int descriptor() const noexcept override { return epfd_; }

  ~epoll_loop() override { close_own(epfd_, identity_); }

  io_backend backend() const noexcept override { return io_backend::epoll; }

private:
  struct fd_entry {
    operation *waiters = nullptr;
    // The descriptor may still be in the epoll set (one-shot registrations
    // stay there disarmed); epoll drops it by itself when the file closes.
    bool maybe_registered = false;
  };

  explicit epoll_loop(int fd) noexcept
      : epfd_(fd), identity_(file_identity::of(fd)) {}

  bool start(operation &op) override {
    op.wait_fd = -1;
    // Ifs rather than a switch: a program built with -Wswitch-enum
    // -Werror includes this.
    if (op.code == op_code::poll) {
      if (!prepare_poll(op))
        return false;
      if (op.code == op_code::poll)
        return watch_poll(op);
      // A poll of no descriptor has become a sleep.
    }
    if (op.code == op_code::sleep) {
      if (op.nanoseconds <= 0) {
        op.result = 0;
        return false;
      }
      op.deadline = monotonic_ns() + op.nanoseconds;
      add_timer(op);
      return true;
    }
    op.done = 0;
    op.file_flags = -1;
    op.deadline = deadline_unknown;
    if (attempt(op))
      return false;
    op.wait_fd = op.fd;
    op.wait_events =
        is_write(op.code) || op.code == op_code::connect ? EPOLLOUT : EPOLLIN;
    if (!watch(op))
      return false;
    // A socket with a receive or send timeout stops waiting after it.
    find_deadline(op);
    if (op.deadline >= 0)
      add_timer(op);
    return true;
  }

  bool watch_poll(operation &op) {
    if (!watch(op)) {
      if (op.len != 1)
        ::close(op.wait_fd);
      return false;
    }
    if (op.deadline >= 0)
      add_timer(op);
    return true;
  }

  // The call, without blocking: value or -errno.
  static long long call_once(operation &op) noexcept {
    if (is_socket_call(op.code))
      return call_now(op, MSG_DONTWAIT);
    // Loops on other threads may call on the same descriptor meanwhile:
    // the flags they would read, set and put back are the process's (see
    // fd_flags_lock).
    const fd_flags_lock lock(op.fd);
    if (op.file_flags == -1)
      op.file_flags = ::fcntl(op.fd, F_GETFL);
    const bool toggle = op.file_flags != -1 && !(op.file_flags & O_NONBLOCK);
    if (toggle)
      ::fcntl(op.fd, F_SETFL, op.file_flags | O_NONBLOCK);
    const long long r = call_now(op);
    if (toggle)
      ::fcntl(op.fd, F_SETFL, op.file_flags);
    return r;
  }

  // Makes the call; true when it finished (op.result set), false when it
  // must wait for readiness.
  bool attempt(operation &op) noexcept {
    for (;;) {
      const long long r = call_once(op);
      if (op.code == op_code::connect && r == -EINPROGRESS &&
          !caller_nonblocking(op)) {
        op.done = 1; // in progress: readiness means it finished
        return false;
      }
      if (r == -EAGAIN) {
        if (!caller_nonblocking(op))
          return false;
        return finish(op, r);
      }
      // A blocking write (or MSG_WAITALL receive) goes on to the end.
      if (transfers_all(op) && r > 0 &&
          op.done + static_cast<std::size_t>(r) < op.len &&
          !caller_nonblocking(op)) {
        op.done += static_cast<std::size_t>(r);
        continue;
      }
      return finish(op, r);
    }
  }

  static bool finish(operation &op, long long r) noexcept {
    if (transfers_all(op) && op.done > 0)
      op.result = static_cast<long long>(op.done) + (r > 0 ? r : 0);
    else
      op.result = r;
    return true;
  }

  // After readiness: true when op finished.
  bool retry(operation &op) noexcept {
    if (op.code == op_code::poll)
      return finish_poll(op, false);
    if (op.code == op_code::connect && op.done == 1) {
      int error = 0;
      socklen_t len = sizeof error;
      if (::getsockopt(op.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
        error = errno;
      op.result = error ? -error : 0;
      return true;
    }
    return attempt(op);
  }

  // Adds op to the waiters of op.wait_fd; on failure sets op.result.
  bool watch(operation &op) {
    const auto fd = static_cast<std::size_t>(op.wait_fd);
    if (fd >= fds_.size())
      fds_.resize(fd + 1);
    op.next = fds_[fd].waiters;
    fds_[fd].waiters = &op;
    if (arm(op.wait_fd))
      return true;
    // The descriptor waited for is fine (the call was just made on it), so
    // these mean the loop's own descriptor is gone.
    if (errno == EBADF || errno == EINVAL)
      check_own_descriptor(errno);
    op.result = -errno;
    fds_[fd].waiters = op.next;
    return false;
  }

  bool arm(int fd) noexcept {
    fd_entry &entry = fds_[static_cast<std::size_t>(fd)];
    epoll_event ev{};
    ev.events = EPOLLONESHOT;
    for (operation *op = entry.waiters; op; op = op->next)
      ev.events |= op->wait_events;
    ev.data.fd = fd;
    if (entry.maybe_registered) {
      if (::epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0)
        return true;
      if (errno != ENOENT)
        return false;
    }
    if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0 &&
        (errno != EEXIST || ::epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) != 0))
      return false;
    entry.maybe_registered = true;
    return true;
  }

  void unwatch(operation &op) noexcept {
    operation **link = &fds_[static_cast<std::size_t>(op.wait_fd)].waiters;
    while (*link != &op)
      link = &(*link)->next;
    *link = op.next;
  }

  void wait() override {
    int timeout = -1;
    if (!timers_.empty()) {
      const long long left = timers_.front()->deadline - monotonic_ns();
      const long long ms = left <= 0 ? 0 : (left + 999'999) / 1'000'000;
      timeout = ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
    }
    epoll_event events[64];
    const int n = ::epoll_wait(epfd_, events, 64, timeout);
    if (n < 0 && errno != EINTR)
      loop_call_failed(epfd_, identity_, errno);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == inbox_fd_)
        drain_inbox();
      else
        on_ready(events[i].data.fd, events[i].events);
    }
    expire_timers();
  }

  void on_ready(int fd, unsigned revents) {
    fd_entry &entry = fds_[static_cast<std::size_t>(fd)];
    operation *waiting = entry.waiters;
    entry.waiters = nullptr;
    operation *finished = nullptr;
    while (waiting) {
      operation *op = waiting;
      waiting = op->next;
      if ((revents & (op->wait_events | EPOLLERR | EPOLLHUP)) && retry(*op)) {
        op->next = finished;
        finished = op;
        continue;
      }
      op->next = entry.waiters;
      entry.waiters = op;
    }
    if (entry.waiters && !arm(fd)) {
      // Cannot wait any longer: the calls fail as the kernel said.
      const int error = errno;
      while (operation *op = entry.waiters) {
        entry.waiters = op->next;
        op->result = -error;
        op->next = finished;
        finished = op;
      }
    }
    // Resumed only now: a resumed coroutine may start operations on fd.
    while (finished) {
      operation *op = finished;
      finished = op->next;
      // A poll's timeout, or a socket's.
      if (op->deadline >= 0)
        remove_timer(*op);
      complete(*op);
    }
  }

  void expire_timers() {
    const long long now = monotonic_ns();
    while (!timers_.empty() && timers_.front()->deadline <= now) {
      operation &op = *timers_.front();
      remove_timer(op);
      if (op.code == op_code::poll) {
        unwatch(op);
        finish_poll(op, true);
      } else if (op.code == op_code::sleep) {
        op.result = 0;
      } else {
        unwatch(op);
        op.result = timed_out_result(op);
      }
      complete(op);
    }
  }

  // The heap keeps each operation's index in op.timer_slot so a poll that
  // becomes ready can leave it before its deadline.
  void add_timer(operation &op) {
    op.timer_slot = timers_.size();
    timers_.push_back(&op);
    sift_up(op.timer_slot);
  }

  void remove_timer(operation &op) noexcept {
    const std::size_t i = op.timer_slot;
    operation *last = timers_.back();
    timers_.pop_back();
    if (i == timers_.size())
      return;
    timers_[i] = last;
    last->timer_slot = i;
    sift_down(i);
    sift_up(last->timer_slot);
  }

  void place(std::size_t i, operation *op) noexcept {
    timers_[i] = op;
    op->timer_slot = i;
  }

  void sift_up(std::size_t i) noexcept {
    operation *op = timers_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (timers_[parent]->deadline <= op->deadline)
        break;
      place(i, timers_[parent]);
      i = parent;
    }
    place(i, op);
  }

  void sift_down(std::size_t i) noexcept {
    operation *op = timers_[i];
    const std::size_t n = timers_.size();
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n)
        break;
      if (child + 1 < n &&
          timers_[child + 1]->deadline < timers_[child]->deadline)
        ++child;
      if (op->deadline <= timers_[child]->deadline)
        break;
      place(i, timers_[child]);
      i = child;
    }
    place(i, op);
  }

  void watch_inbox(int fd) override {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.fd = fd;
    if (::epoll_ctl(epfd_, inbox_fd_ == fd ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd,
                    &ev) != 0)
      loop_call_failed(epfd_, identity_, errno);
    inbox_fd_ = fd;
  }

  void check_own_descriptor(int error) const {
    if (file_identity::of(epfd_) != identity_)
      loop_call_failed(epfd_, identity_, error);
  }

  int epfd_;
  file_identity identity_;
  int inbox_fd_ = -1; // registered in the epoll set once watched
  pod_vector<fd_entry> fds_;
  pod_vector<operation *> timers_;
};

} // namespace vinyl::detail
