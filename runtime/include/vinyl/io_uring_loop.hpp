// The io_uring backend of the event loop, on the raw kernel interface
// (<linux/io_uring.h>, io_uring_setup/io_uring_enter, mmap'ed rings), so a
// converted program links no library whichever backend it runs with.
//
// Every leaf becomes one submission queue entry whose user_data is the
// operation; its completion carries the call's result as -errno or a value.
// Entries are submitted in batches, with the wait for completions, by a
// single io_uring_enter per loop iteration.
#pragma once

#include <vinyl/event_loop.hpp>

#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>

namespace vinyl::detail {

class uring_loop final : public event_loop {
public:
  // nullptr, with errno set, when the kernel refuses io_uring.
  static uring_loop *create() {
    io_uring_params params{};
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN |
                   IORING_SETUP_SINGLE_ISSUER;
    params.cq_entries = cq_size;
    int fd = setup(params);
    if (fd < 0 && errno == EINVAL) {
      // Kernels before 6.0 know fewer setup flags.
      params = io_uring_params{};
      params.flags = IORING_SETUP_CQSIZE;
      params.cq_entries = cq_size;
      fd = setup(params);
    }
    if (fd < 0)
      return nullptr;
    // Before 5.6 the ring exists but lacks opcodes the leaves use (READ and
    // WRITE at the file position, SEND, RECV): use epoll there.
    if (!(params.features & IORING_FEAT_RW_CUR_POS)) {
      ::close(fd);
      errno = ENOSYS;
      return nullptr;
    }
    auto *loop = new uring_loop(place_high(fd));
    if (!loop->map(params)) {
      const int error = errno;
      delete loop;
      errno = error;
      return nullptr;
    }
    return loop;
  }

  ~uring_loop() override {
    if (sqes_)
      ::munmap(sqes_, sqes_size_);
    if (cq_ring_ && cq_ring_ != sq_ring_)
      ::munmap(cq_ring_, cq_ring_size_);
    if (sq_ring_)
      ::munmap(sq_ring_, sq_ring_size_);
    close_own(fd_, identity_);
  }

  io_backend backend() const noexcept override { return io_backend::io_uring; }

  int descriptor() const noexcept override { return fd_; }

private:
  static constexpr unsigned sq_size = 256;
  static constexpr unsigned cq_size = 4096;
  // What one read or write transfers at most, as in read(2).
  static constexpr std::size_t max_transfer = 0x7ffff000;

  explicit uring_loop(int fd) noexcept
      : fd_(fd), identity_(file_identity::of(fd)) {}

  static int setup(io_uring_params &params) noexcept {
    return static_cast<int>(::syscall(__NR_io_uring_setup, sq_size, &params));
  }

  int enter(unsigned to_submit, unsigned min_complete,
            unsigned flags) noexcept {
    return static_cast<int>(::syscall(__NR_io_uring_enter, fd_, to_submit,
                                      min_complete, flags, nullptr, 0));
  }

  bool map(const io_uring_params &p) {
    sq_ring_size_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    cq_ring_size_ = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
    const bool single = p.features & IORING_FEAT_SINGLE_MMAP;
    if (single && cq_ring_size_ > sq_ring_size_)
      sq_ring_size_ = cq_ring_size_;
    sq_ring_ = mmap_ring(sq_ring_size_, IORING_OFF_SQ_RING);
    if (!sq_ring_)
      return false;
    cq_ring_ = single ? sq_ring_ : mmap_ring(cq_ring_size_, IORING_OFF_CQ_RING);
    if (!cq_ring_)
      return false;
    sqes_size_ = p.sq_entries * sizeof(io_uring_sqe);
    sqes_ = static_cast<io_uring_sqe *>(mmap_ring(sqes_size_, IORING_OFF_SQES));
    if (!sqes_)
      return false;

    char *sq = static_cast<char *>(sq_ring_);
    sq_head_ = reinterpret_cast<unsigned *>(sq + p.sq_off.head);
    sq_tail_ = reinterpret_cast<unsigned *>(sq + p.sq_off.tail);
    sq_mask_ = *reinterpret_cast<unsigned *>(sq + p.sq_off.ring_mask);
    sq_entries_ = p.sq_entries;
    // Entry i of the indirection array always names SQE i: entries are
    // filled in ring order.
    auto *array = reinterpret_cast<unsigned *>(sq + p.sq_off.array);
    for (unsigned i = 0; i != p.sq_entries; ++i)
      array[i] = i;
    sq_local_tail_ = *sq_tail_;

    char *cq = static_cast<char *>(cq_ring_);
    cq_head_ = reinterpret_cast<unsigned *>(cq + p.cq_off.head);
    cq_tail_ = reinterpret_cast<unsigned *>(cq + p.cq_off.tail);
    cq_mask_ = *reinterpret_cast<unsigned *>(cq + p.cq_off.ring_mask);
    cqes_ = reinterpret_cast<io_uring_cqe *>(cq + p.cq_off.cqes);
    return true;
  }

  void *mmap_ring(std::size_t size, unsigned long long offset) noexcept {
    void *p =
        ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
               fd_, static_cast<off_t>(offset));
    return p == MAP_FAILED ? nullptr : p;
  }

  // Whether n consecutive entries are free (a linked pair must go in one
  // submission), after submitting what is queued if need be. The kernel may
  // refuse to take more while completions wait to be reaped (EBUSY).
  bool has_room(unsigned n) {
    const auto free_entries = [&] {
      return sq_entries_ -
             (sq_local_tail_ - __atomic_load_n(sq_head_, __ATOMIC_ACQUIRE));
    };
    if (free_entries() >= n)
      return true;
    submit_queued(0, 0);
    return free_entries() >= n;
  }

  // Fills the entries for op now, or once wait() has reaped completions and
  // the ring has room again. Operations are never refused.
  // A poll with a timeout, or a transfer on a socket with one, is a pair:
  // the operation linked to a timeout that cancels it.
  static unsigned slots(const operation &op) noexcept {
    return op.code != op_code::sleep && op.deadline >= 0 ? 2 : 1;
  }

  void queue(operation &op) {
    if (deferred_next_ != deferred_.size() || !has_room(slots(op))) {
      deferred_.push_back(&op);
      return;
    }
    prep(op);
  }

  void queue_deferred() {
    while (deferred_next_ != deferred_.size()) {
      operation &op = *deferred_[deferred_next_];
      if (!has_room(slots(op)))
        return;
      ++deferred_next_;
      prep(op);
    }
    deferred_.clear();
    deferred_next_ = 0;
  }

  void prep(operation &op) {
    if (op.code == op_code::sleep)
      prep_sleep(op);
    else if (op.code == op_code::poll || op.code == op_code::inbox)
      prep_poll(op);
    else
      prep_io(op);
  }

  io_uring_sqe &next_sqe(operation *op) noexcept {
    io_uring_sqe &sqe = sqes_[sq_local_tail_ & sq_mask_];
    std::memset(&sqe, 0, sizeof sqe);
    sqe.user_data = reinterpret_cast<__u64>(op);
    ++sq_local_tail_;
    ++queued_;
    return sqe;
  }

  void submit_queued(unsigned min_complete, unsigned flags) {
    // The kernel reads entries only inside io_uring_enter, so the tail is
    // published once per batch, after the entries are complete.
    __atomic_store_n(sq_tail_, sq_local_tail_, __ATOMIC_RELEASE);
    const int n = enter(queued_, min_complete, flags);
    if (n >= 0) {
      queued_ -= static_cast<unsigned>(n);
      return;
    }
    // Interrupted, or the completion queue must be drained first: the
    // caller reaps and comes back.
    if (errno == EINTR || errno == EAGAIN || errno == EBUSY)
      return;
    loop_call_failed(fd_, identity_, errno);
  }

  static void set_timeout(operation &op, long long ns) noexcept {
    op.timeout.tv_sec = ns / 1'000'000'000;
    op.timeout.tv_nsec = ns % 1'000'000'000;
  }

  bool start(operation &op) override {
    // Ifs rather than a switch: a program built with -Wswitch-enum
    // -Werror includes this.
    if (op.code == op_code::sleep) {
      if (op.nanoseconds <= 0) {
        op.result = 0;
        return false;
      }
      queue(op);
      return true;
    }
    if (op.code == op_code::poll) {
      if (!prepare_poll(op))
        return false;
      queue(op);
      return true;
    }
    op.done = 0;
    op.file_flags = -1;
    op.deadline = deadline_unknown;
    if (!positional_ok(op)) {
      op.result = call_now(op);
      return false;
    }
    // io_uring waits even on an O_NONBLOCK descriptor, where the call
    // says EAGAIN. Asking the descriptor's flags before every operation
    // would cost a system call each, so reads, writes and socket calls
    // are first submitted not to wait (MSG_DONTWAIT, RWF_NOWAIT); only
    // when that says EAGAIN are the flags looked at (complete_io). accept
    // and connect have no such flag everywhere; they are rare enough to
    // look first. pread and pwrite get here only for files with a
    // position, where O_NONBLOCK means nothing.
    op.first_try = op.code != op_code::pread && op.code != op_code::pwrite &&
                   op.code != op_code::accept && op.code != op_code::connect;
    if (!op.first_try && op.code != op_code::pread &&
        op.code != op_code::pwrite && caller_nonblocking(op)) {
      op.result = call_now(op);
      return false;
    }
    // accept and connect wait from the start.
    if (!op.first_try)
      find_deadline(op);
    queue(op);
    return true;
  }

  // io_uring ignores the offset on descriptors that have none (and reads
  // -1 as "the file position"), where pread(2) and pwrite(2) fail: those
  // calls are made directly, to fail as they should.
  static bool positional_ok(const operation &op) noexcept {
    if (op.code != op_code::pread && op.code != op_code::pwrite)
      return true;
    return op.offset >= 0 && ::lseek(op.fd, 0, SEEK_CUR) >= 0;
  }

  void prep_sleep(operation &op) {
    set_timeout(op, op.nanoseconds);
    io_uring_sqe &sqe = next_sqe(&op);
    sqe.opcode = IORING_OP_TIMEOUT;
    sqe.fd = -1;
    sqe.addr = reinterpret_cast<__u64>(&op.timeout);
    sqe.len = 1;
  }

  // The poll, linked to a timeout that cancels it when the deadline passes.
  void prep_poll(operation &op) {
    io_uring_sqe &poll = next_sqe(&op);
    poll.opcode = IORING_OP_POLL_ADD;
    poll.fd = op.wait_fd;
    poll.poll32_events = op.wait_events;
    link_timeout(poll, op);
  }

  // Links a timeout at op.deadline, if it has one, after the entry just
  // filled for op.
  void link_timeout(io_uring_sqe &entry, operation &op) {
    if (op.deadline < 0)
      return;
    entry.flags |= IOSQE_IO_LINK;
    const long long left = op.deadline - monotonic_ns();
    set_timeout(op, left > 0 ? left : 0);
    // user_data 0: its completion is ignored.
    io_uring_sqe &timeout = next_sqe(nullptr);
    timeout.opcode = IORING_OP_LINK_TIMEOUT;
    timeout.fd = -1;
    timeout.addr = reinterpret_cast<__u64>(&op.timeout);
    timeout.len = 1;
  }

  static int first_try_flags(const operation &op) noexcept {
    return op.first_try ? MSG_DONTWAIT : 0;
  }

  void prep_io(operation &op) {
    io_uring_sqe &sqe = next_sqe(&op);
    sqe.fd = op.fd;
    // A blocking write continues after a partial one (see complete_io).
    char *buf = static_cast<char *>(op.buf) + op.done;
    const std::size_t left = op.len - op.done;
    const auto length =
        static_cast<__u32>(left < max_transfer ? left : max_transfer);
    switch (op.code) {
    case op_code::read:
    case op_code::write:
    case op_code::pread:
    case op_code::pwrite: {
      const bool write =
          op.code == op_code::write || op.code == op_code::pwrite;
      const bool positional =
          op.code == op_code::pread || op.code == op_code::pwrite;
      sqe.opcode = write ? IORING_OP_WRITE : IORING_OP_READ;
      sqe.addr = reinterpret_cast<__u64>(buf);
      sqe.len = length;
      if (op.first_try)
        sqe.rw_flags = RWF_NOWAIT;
      // -1: the file position, as read(2) and write(2) use it.
      sqe.off =
          positional ? static_cast<__u64>(op.offset) + op.done : ~__u64{0};
      break;
    }
    case op_code::recv:
    case op_code::send:
      sqe.opcode = op.code == op_code::recv ? IORING_OP_RECV : IORING_OP_SEND;
      sqe.addr = reinterpret_cast<__u64>(buf);
      sqe.len = length;
      sqe.msg_flags = static_cast<__u32>(op.flags | first_try_flags(op));
      break;
    case op_code::recvfrom:
    case op_code::sendto:
      op.iov = {buf, left};
      op.msg = msghdr{};
      op.msg.msg_iov = &op.iov;
      op.msg.msg_iovlen = 1;
      if (op.code == op_code::recvfrom) {
        sqe.opcode = IORING_OP_RECVMSG;
        if (op.addr && op.addrlen_out) {
          op.msg.msg_name = op.addr;
          op.msg.msg_namelen = *op.addrlen_out;
        }
      } else {
        sqe.opcode = IORING_OP_SENDMSG;
        op.msg.msg_name = op.addr;
        op.msg.msg_namelen = op.addrlen;
      }
      sqe.addr = reinterpret_cast<__u64>(&op.msg);
      sqe.len = 1;
      sqe.msg_flags = static_cast<__u32>(op.flags | first_try_flags(op));
      break;
    case op_code::readv:
    case op_code::writev:
      sqe.opcode =
          op.code == op_code::readv ? IORING_OP_READV : IORING_OP_WRITEV;
      if (op.done == 0) {
        sqe.addr = reinterpret_cast<__u64>(op.buf);
        sqe.len = static_cast<__u32>(op.iovcnt);
      } else {
        sqe.addr = reinterpret_cast<__u64>(continuation(op));
        sqe.len = 1;
      }
      if (op.first_try)
        sqe.rw_flags = RWF_NOWAIT;
      sqe.off = ~__u64{0}; // the file position
      break;
    case op_code::recvmsg:
    case op_code::sendmsg:
      sqe.opcode =
          op.code == op_code::recvmsg ? IORING_OP_RECVMSG : IORING_OP_SENDMSG;
      sqe.addr = reinterpret_cast<__u64>(op.done == 0 ? op.buf
                                                       : continuation(op));
      sqe.len = 1;
      sqe.msg_flags = static_cast<__u32>(op.flags | first_try_flags(op));
      break;
    case op_code::accept:
      sqe.opcode = IORING_OP_ACCEPT;
      sqe.addr = reinterpret_cast<__u64>(op.addr);
      sqe.addr2 = reinterpret_cast<__u64>(op.addrlen_out);
      sqe.accept_flags = static_cast<__u32>(op.flags);
      break;
    case op_code::connect:
      sqe.opcode = IORING_OP_CONNECT;
      sqe.addr = reinterpret_cast<__u64>(op.addr);
      sqe.off = op.addrlen;
      break;
    case op_code::poll:
    case op_code::sleep:
    case op_code::offload:
    case op_code::inbox:
      break;
    }
    link_timeout(sqe, op);
  }

  // A poll of the eventfd, whose completion drains the inbox.
  void watch_inbox(int fd) override {
    inbox_.code = op_code::inbox;
    inbox_.wait_fd = fd;
    inbox_.wait_events = POLLIN;
    inbox_.deadline = -1;
    queue(inbox_);
  }

  void wait() override {
    submit_queued(1, IORING_ENTER_GETEVENTS);
    reap();
    queue_deferred();
  }

  void reap() {
    for (;;) {
      // Read afresh each time: a run nested in a resumption (a facade
      // called from a task) reaps from the same ring.
      const unsigned head = *cq_head_;
      if (head == __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE))
        return;
      const io_uring_cqe &cqe = cqes_[head & cq_mask_];
      auto *op = reinterpret_cast<operation *>(cqe.user_data);
      const int res = cqe.res;
      // Release the slot before resuming anyone: the resumed coroutine may
      // start more operations, whose completions need room.
      __atomic_store_n(cq_head_, head + 1, __ATOMIC_RELEASE);
      if (op)
        on_completion(*op, res);
    }
  }

  void on_completion(operation &op, int res) {
    if (op.code == op_code::inbox) {
      drain_inbox();
      return;
    }
    if (op.code == op_code::sleep) {
      // The timeout expiring is its success.
      op.result = res == -ETIME ? 0 : res;
    } else if (op.code == op_code::poll) {
      if (!finish_poll(op, res == -ECANCELED)) {
        queue(op);
        return;
      }
    } else if (!complete_io(op, res)) {
      return;
    }
    complete(op);
  }

  // A blocking write(2) or send(2) returns only when it wrote everything
  // (or failed after writing some), a MSG_WAITALL receive when it filled the
  // buffer (or met the end); io_uring may stop at a partial transfer.
  bool complete_io(operation &op, int res) {
    const bool first_try = op.first_try;
    op.first_try = false;
    // Kernels before 5.9 may refuse RWF_NOWAIT on pipes (EOPNOTSUPP); the
    // second submission, without it, gives the call's real answer.
    if (first_try && (res == -EAGAIN || res == -EOPNOTSUPP)) {
      // The real call decides for a descriptor the program made
      // non-blocking: EAGAIN, or what arrived since (and a regular file,
      // where O_NONBLOCK means nothing, just reads).
      if (caller_nonblocking(op)) {
        res = static_cast<int>(call_now(op));
      } else {
        return wait_again(op);
      }
    } else if (res == -ECANCELED && op.deadline >= 0) {
      // The socket's timeout passed.
      op.result = timed_out_result(op);
      return true;
    } else if (transfers_all(op) && res > 0 &&
               op.done + static_cast<std::size_t>(res) < op.len &&
               !caller_nonblocking(op)) {
      op.done += static_cast<std::size_t>(res);
      return wait_again(op);
    }
    if (op.code == op_code::recvfrom && res >= 0 && op.addr && op.addrlen_out)
      *op.addrlen_out = op.msg.msg_namelen;
    if (res < 0 && op.done > 0)
      res = 0;
    op.result = static_cast<long long>(op.done) + res;
    return true;
  }

  // Resubmits op to wait, unless its socket's timeout has passed already.
  bool wait_again(operation &op) {
    find_deadline(op);
    if (op.deadline >= 0 && monotonic_ns() >= op.deadline) {
      op.result = timed_out_result(op);
      return true;
    }
    queue(op);
    return false;
  }

  int fd_;
  file_identity identity_;
  operation inbox_{};
  void *sq_ring_ = nullptr;
  void *cq_ring_ = nullptr;
  std::size_t sq_ring_size_ = 0;
  std::size_t cq_ring_size_ = 0;
  io_uring_sqe *sqes_ = nullptr;
  std::size_t sqes_size_ = 0;
  unsigned *sq_head_ = nullptr;
  unsigned *sq_tail_ = nullptr;
  unsigned sq_mask_ = 0;
  unsigned sq_entries_ = 0;
  unsigned sq_local_tail_ = 0;
  unsigned queued_ = 0;
  unsigned *cq_head_ = nullptr;
  unsigned *cq_tail_ = nullptr;
  unsigned cq_mask_ = 0;
  io_uring_cqe *cqes_ = nullptr;
  // Operations waiting for room in the submission ring, oldest first.
  pod_vector<operation *> deferred_;
  std::size_t deferred_next_ = 0;
};

} // namespace vinyl::detail
