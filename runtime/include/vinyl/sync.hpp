// vinyl::mutex and vinyl::condition_variable: locking that survives an
// await, for code where a std::mutex guards state across a co_await and a
// std::condition_variable waits for another task or thread (a connection
// pool's queue). In async mode those would block the thread, and with it
// every task of its loop; these suspend the task instead.
//
// vinyl::mutex is a std Lockable too (lock, try_lock, unlock block the
// thread, as std::mutex does), so code the tool leaves synchronous keeps
// using the same object. `co_await m.lock_async()` is ready at once after a
// plain lock when no loop runs on this thread (blocking mode); on a loop it
// suspends the task, never the thread, until the mutex is handed to it.
// The uncontended path is one compare-and-swap either way; nothing is
// allocated per lock (a waiter's record lives in the awaiter, in its frame).
//
// Contenders queue in FIFO order and unlock hands the mutex straight to the
// first: a thread blocked in lock() is woken through a futex; a task of the
// unlocker's own loop is posted to its ready queue; a task of another
// thread's loop is handed back through that loop's cross-thread path (the
// lock-free list and eventfd vinyl::offload uses).
//
// Deadlock detection: a waiting task may be woken by another thread, so it
// counts as an operation in flight for its loop (an offload nobody started)
// and the loop sleeps on its inbox rather than throwing vinyl::deadlock. The
// price: a loop whose tasks all wait on a mutex one of them holds, or on a
// condition variable nobody else will notify, hangs, as the same threads on
// std::mutex would; the runtime cannot know that no other thread will act.
//
// A task's frame may be destroyed while it waits (its record leaves the
// queue and its loop's count), but not once it has been woken and not yet
// resumed, nor may its loop be: a loop torn down by an exception out of its
// own run waits, as for offloads, until its tasks waiting here are woken.
//
// Not part of <vinyl/vinyl.hpp>: std::cv_status needs <condition_variable>,
// whose parse time (<chrono>) every converted file would pay.
#pragma once

#include <vinyl/error.hpp>
#include <vinyl/event_loop.hpp>
#include <vinyl/io.hpp>
#include <vinyl/task.hpp>

#include <cerrno>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <mutex>
#include <system_error>
#include <utility>

#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace vinyl {
namespace detail {

// One thread or task waiting on a mutex or a condition variable. It lives
// on the blocked thread's stack or in the suspended task's awaiter.
struct wait_node {
  wait_node *next = nullptr;
  event_loop *loop = nullptr; // the task's loop; nullptr for a thread
  offload_job *job = nullptr; // how a task is handed back to its loop
  int fd = -1;                // an eventfd a timed task polls instead
  int word = 0;               // 0 waiting, 1 woken, 2 thread asleep on it
  bool queued = false;
};

inline void futex_call(int *word, int op, int value,
                       const timespec *deadline) noexcept {
  ::syscall(SYS_futex, word, op, value, deadline, nullptr,
            FUTEX_BITSET_MATCH_ANY);
}

// Wakes w; called with the queue's guard held, so that a waiter that gives
// up (a timeout, a destroyed frame) and finds itself no longer queued knows
// the waker is done with its record.
inline void wake(wait_node &w) noexcept {
  if (w.fd >= 0) {
    w.word = 1;
    const unsigned long long one = 1;
    (void)!::write(w.fd, &one, sizeof one);
    return;
  }
  if (!w.loop) {
    if (__atomic_exchange_n(&w.word, 1, __ATOMIC_RELEASE) == 2)
      futex_call(&w.word, FUTEX_WAKE_PRIVATE, 1, nullptr);
    return;
  }
  w.word = 1;
  event_loop &loop = *w.loop;
  operation &op = *w.job->op;
  // Same loop: the ready queue, without the eventfd's system calls. Should
  // it fail to grow, the inbox takes the task instead.
  if (&loop == tls_loop) {
    try {
      loop.post(std::coroutine_handle<>::from_address(op.waiter));
      loop.cancel_offload(op);
      return;
    } catch (...) {
    }
  }
  loop.post_remote(*w.job);
}

// Blocks the thread until word is set (true) or the CLOCK_MONOTONIC
// deadline, in ns (negative: none), passed (false).
inline bool block_thread(int &word, long long deadline) noexcept {
  for (int i = 0; i != 128; ++i) {
    if (__atomic_load_n(&word, __ATOMIC_ACQUIRE) != 0)
      return true;
    spin_pause();
  }
  int expected = 0;
  if (!__atomic_compare_exchange_n(&word, &expected, 2, false, __ATOMIC_ACQUIRE,
                                   __ATOMIC_ACQUIRE))
    return true;
  while (__atomic_load_n(&word, __ATOMIC_ACQUIRE) == 2) {
    if (deadline < 0) {
      futex_call(&word, FUTEX_WAIT_BITSET_PRIVATE, 2, nullptr);
      continue;
    }
    if (monotonic_ns() >= deadline)
      return false;
    const timespec at{static_cast<time_t>(deadline / 1'000'000'000),
                      static_cast<long>(deadline % 1'000'000'000)};
    futex_call(&word, FUTEX_WAIT_BITSET_PRIVATE, 2, &at);
  }
  return true;
}

// A FIFO of waiters behind a spin lock held for a few instructions (and
// the wake-ups, each a system call at most).
class wait_queue {
public:
  void lock() noexcept {
    for (unsigned i = 1; __atomic_exchange_n(&guard_, 1, __ATOMIC_ACQUIRE);) {
      while (__atomic_load_n(&guard_, __ATOMIC_RELAXED)) {
        spin_pause();
        if (++i % 256 == 0)
          ::sched_yield();
      }
    }
  }
  void unlock() noexcept { __atomic_store_n(&guard_, 0, __ATOMIC_RELEASE); }

  bool empty() const noexcept { return !head_; }
  // Without the guard: a waiter queued before the notifier took the mutex
  // is seen (the mutex orders the two).
  bool maybe_waiting() const noexcept {
    return __atomic_load_n(&head_, __ATOMIC_RELAXED) != nullptr;
  }

  void push(wait_node &n) noexcept {
    n.next = nullptr;
    n.queued = true;
    if (tail_)
      tail_->next = &n;
    else
      __atomic_store_n(&head_, &n, __ATOMIC_RELAXED);
    tail_ = &n;
  }

  wait_node *pop() noexcept {
    wait_node *n = head_;
    if (!n)
      return nullptr;
    __atomic_store_n(&head_, n->next, __ATOMIC_RELAXED);
    if (!head_)
      tail_ = nullptr;
    n->queued = false;
    return n;
  }

  void remove(wait_node &n) noexcept {
    wait_node *prev = nullptr;
    for (wait_node *p = head_; p != &n; p = p->next)
      prev = p;
    if (prev)
      prev->next = n.next;
    else
      __atomic_store_n(&head_, n.next, __ATOMIC_RELAXED);
    if (tail_ == &n)
      tail_ = prev;
    n.queued = false;
  }

private:
  int guard_ = 0;
  wait_node *head_ = nullptr;
  wait_node *tail_ = nullptr;
};

// A task's side of a wait: registered with its loop as an offload, so the
// loop counts it in flight and hears back from any thread.
struct task_wait {
  wait_node node;
  offload_job job; // set by arm: the uncontended path leaves it alone
  operation op;

  // Throws os_error when the loop cannot make its inbox eventfd.
  void arm(std::coroutine_handle<> h) {
    op.code = op_code::offload;
    op.waiter = h.address();
    job.op = &op;
    job.loop = tls_loop;
    node.loop = tls_loop;
    node.job = &job;
    tls_loop->submit(op);
  }
  void disarm() noexcept { node.loop->cancel_offload(op); }
};

} // namespace detail

// A std Lockable that tasks can also await. 32 bytes, constexpr, no
// destructor: it may live anywhere a std::mutex did. Must not be destroyed
// while locked or waited on, like std::mutex.
class mutex {
public:
  class lock_awaiter;
  class guard_awaiter;

  constexpr mutex() noexcept = default;
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  // Blocks the thread (on a loop's thread: every task of the loop).
  void lock() {
    if (!try_lock())
      lock_slow();
  }

  bool try_lock() noexcept {
    int expected = unlocked;
    return __atomic_compare_exchange_n(&state_, &expected, locked, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
  }

  // Hands the mutex to the first waiter, if any.
  void unlock() noexcept {
    int expected = locked;
    if (!__atomic_compare_exchange_n(&state_, &expected, unlocked, false,
                                     __ATOMIC_RELEASE, __ATOMIC_RELAXED))
      unlock_slow();
  }

  // co_await m.lock_async(): locked when it returns. See the top of the
  // file for the two modes.
  [[nodiscard]] lock_awaiter lock_async() noexcept;

private:
  // state_ is `contended` exactly when the queue is not empty; it changes
  // to or from that value only under the queue's guard.
  enum : int { unlocked, locked, contended };

  void lock_slow() {
    for (int i = 0; i != 128; ++i) {
      detail::spin_pause();
      if (__atomic_load_n(&state_, __ATOMIC_RELAXED) == unlocked && try_lock())
        return;
    }
    detail::wait_node n;
    if (enqueue_or_acquire(n))
      detail::block_thread(n.word, -1);
  }

  // True when n was queued; false when the mutex was free and is now the
  // caller's.
  bool enqueue_or_acquire(detail::wait_node &n) noexcept {
    waiters_.lock();
    int s = __atomic_load_n(&state_, __ATOMIC_RELAXED);
    for (;;) {
      if (s == unlocked) {
        if (__atomic_compare_exchange_n(&state_, &s, locked, false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
          waiters_.unlock();
          return false;
        }
      } else if (s == contended || __atomic_compare_exchange_n(
                                       &state_, &s, contended, false,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        break;
      }
    }
    waiters_.push(n);
    waiters_.unlock();
    return true;
  }

  void unlock_slow() noexcept {
    waiters_.lock();
    detail::wait_node *next = waiters_.pop();
    if (!next) {
      // The last waiter gave up meanwhile.
      __atomic_store_n(&state_, unlocked, __ATOMIC_RELEASE);
    } else {
      if (waiters_.empty())
        __atomic_store_n(&state_, locked, __ATOMIC_RELAXED);
      detail::wake(*next); // it owns the mutex now
    }
    waiters_.unlock();
  }

  // A task destroyed while it waited. True if it was still queued; false if
  // the mutex was handed to it already.
  bool withdraw(detail::wait_node &n) noexcept {
    waiters_.lock();
    const bool queued = n.queued;
    if (queued) {
      waiters_.remove(n);
      if (waiters_.empty())
        __atomic_store_n(&state_, locked, __ATOMIC_RELAXED);
    }
    waiters_.unlock();
    return queued;
  }

  int state_ = unlocked;
  detail::wait_queue waiters_;
};

class [[nodiscard]] mutex::lock_awaiter {
public:
  explicit lock_awaiter(mutex &m) noexcept : m_(m) {}
  lock_awaiter(const lock_awaiter &) = delete;
  lock_awaiter &operator=(const lock_awaiter &) = delete;

  // The frame was destroyed while the task waited (its loop was torn down):
  // leave the queue, or pass on a mutex handed over but never used.
  ~lock_awaiter() {
    if (!waiting_)
      return;
    if (m_.withdraw(wait_.node))
      wait_.disarm();
    else
      m_.unlock();
  }

  bool await_ready() {
    if (m_.try_lock())
      return true;
    if (detail::tls_loop)
      return false;
    m_.lock_slow();
    return true;
  }

  bool await_suspend(std::coroutine_handle<> h) {
    wait_.arm(h);
    if (!m_.enqueue_or_acquire(wait_.node)) {
      wait_.disarm();
      return false;
    }
    waiting_ = true;
    return true;
  }

  void await_resume() noexcept { waiting_ = false; }

protected:
  mutex &m_;

private:
  detail::task_wait wait_;
  bool waiting_ = false;
};

inline mutex::lock_awaiter mutex::lock_async() noexcept {
  return lock_awaiter(*this);
}

// The std guards do all a scope needs over a vinyl::mutex (and keep std's
// exact semantics); the names are here so converted code can say vinyl::.
template <class M> using lock_guard = std::lock_guard<M>;
template <class M> using unique_lock = std::unique_lock<M>;

// What the lock_async(lk) and scoped_lock(m) awaitables yield.
class [[nodiscard]] mutex::guard_awaiter : public mutex::lock_awaiter {
public:
  guard_awaiter(mutex &m, unique_lock<mutex> *lk) noexcept
      : lock_awaiter(m), lk_(lk) {}
  unique_lock<mutex> await_resume() noexcept {
    lock_awaiter::await_resume();
    unique_lock<mutex> owner(m_, std::adopt_lock);
    if (lk_)
      lk_->swap(owner); // owner now holds lk's old, unowned state
    return owner;
  }

private:
  unique_lock<mutex> *lk_;
};

// auto lk = co_await vinyl::scoped_lock(m): a unique_lock that owns m.
inline mutex::guard_awaiter scoped_lock(mutex &m) noexcept {
  return mutex::guard_awaiter(m, nullptr);
}

// co_await vinyl::lock_async(lk): lk.lock() for a task. Throws
// std::system_error, as lk.lock() does, when lk has no mutex or owns it.
inline mutex::guard_awaiter lock_async(unique_lock<mutex> &lk) {
  if (!lk.mutex())
    throw std::system_error(
        std::make_error_code(std::errc::operation_not_permitted));
  if (lk.owns_lock())
    throw std::system_error(
        std::make_error_code(std::errc::resource_deadlock_would_occur));
  return mutex::guard_awaiter(*lk.mutex(), &lk);
}

namespace detail {

// Eventfds for timed waits in async mode, which poll one with the loop's
// timer as timeout; a few are kept per thread for the next waits.
struct eventfd_cache {
  int fds[4] = {};
  int count = 0;
  eventfd_cache() = default;
  eventfd_cache(const eventfd_cache &) = delete;
  eventfd_cache &operator=(const eventfd_cache &) = delete;
  ~eventfd_cache() {
    while (count != 0)
      ::close(fds[--count]);
  }
};

inline thread_local eventfd_cache tls_eventfds;

inline int take_eventfd() {
  eventfd_cache &cache = tls_eventfds;
  if (cache.count != 0)
    return cache.fds[--cache.count];
  const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    throw os_error("vinyl::condition_variable: cannot create an eventfd",
                   errno);
  return place_high(fd);
}

// fd must be reset (read) already.
inline void give_back_eventfd(int fd) noexcept {
  eventfd_cache &cache = tls_eventfds;
  if (cache.count != 4)
    cache.fds[cache.count++] = fd;
  else
    ::close(fd);
}

// The waiting coroutine's promise to its lock: the mutex is unlocked
// underneath it. A frame destroyed in that state never re-locks, so the
// lock must not unlock when it is destroyed in turn.
struct relock_guard {
  unique_lock<mutex> &lock;
  bool unlocked = false;
  ~relock_guard() {
    if (unlocked)
      (void)lock.release();
  }
};

inline mutex &locked_mutex(unique_lock<mutex> &lk) {
  if (!lk.mutex() || !lk.owns_lock())
    throw std::system_error(
        std::make_error_code(std::errc::operation_not_permitted));
  return *lk.mutex();
}

} // namespace detail

// Waits release the lock's mutex while the thread (blocking mode) or task
// (async mode) waits, and hold it again when they return. The lock, a
// vinyl::unique_lock<vinyl::mutex>, must own the mutex (else
// std::system_error). notify_one and notify_all
// may be called from any task or thread, with or without the mutex.
//
// The waits are tasks: `co_await cv.wait(lk)`; synchronous code calls
// vinyl::block_on(cv.wait(lk)). Timed waits take a std::chrono duration or
// time point (a time point is turned into a duration when the wait
// starts); in async mode they are a poll of an eventfd the notifier writes,
// with the loop's timer as timeout, so the thread never blocks.
class condition_variable {
  class untimed_awaiter;

public:
  constexpr condition_variable() noexcept = default;
  condition_variable(const condition_variable &) = delete;
  condition_variable &operator=(const condition_variable &) = delete;

  void notify_one() noexcept {
    if (!waiters_.maybe_waiting())
      return;
    waiters_.lock();
    if (detail::wait_node *n = waiters_.pop())
      detail::wake(*n);
    waiters_.unlock();
  }

  void notify_all() noexcept {
    if (!waiters_.maybe_waiting())
      return;
    waiters_.lock();
    while (detail::wait_node *n = waiters_.pop())
      detail::wake(*n);
    waiters_.unlock();
  }

  task<void> wait(unique_lock<mutex> &lk) { (void)co_await wait_core(lk, -1); }

  template <class Pred> task<void> wait(unique_lock<mutex> &lk, Pred pred) {
    while (!pred())
      (void)co_await wait_core(lk, -1);
  }

  template <detail::duration_like D>
  task<std::cv_status> wait_for(unique_lock<mutex> &lk, D rel) {
    const bool notified = co_await wait_core(lk, deadline_after(rel));
    co_return notified ? std::cv_status::no_timeout : std::cv_status::timeout;
  }

  template <detail::duration_like D, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait_for(unique_lock<mutex> &lk, D rel,
                                         Pred pred) {
    return wait_pred(lk, deadline_after(rel), static_cast<Pred &&>(pred));
  }

  template <class TimePoint>
  VINYL_CORO_WRAPPER task<std::cv_status> wait_until(unique_lock<mutex> &lk,
                                                     TimePoint tp) {
    return wait_for(lk, tp - TimePoint::clock::now());
  }

  template <class TimePoint, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait_until(unique_lock<mutex> &lk, TimePoint tp,
                                           Pred pred) {
    return wait_for(lk, tp - TimePoint::clock::now(),
                    static_cast<Pred &&>(pred));
  }

private:
  template <detail::duration_like D>
  static long long deadline_after(const D &rel) noexcept {
    return detail::monotonic_ns() + detail::timeout_ns(rel);
  }

  template <class Pred>
  task<bool> wait_pred(unique_lock<mutex> &lk, long long deadline, Pred pred) {
    // Not `while (!pred()) if (!co_await ...) co_return pred();`, for
    // which g++ 12.2 emitted a trap.
    bool met = pred();
    while (!met) {
      const bool notified = co_await wait_core(lk, deadline);
      met = pred();
      if (!notified)
        break;
    }
    co_return met;
  }

  // A timed wait of a task: queued with an eventfd to write.
  class timed_entry {
  public:
    explicit timed_entry(condition_variable &cv) : cv_(cv) {
      node_.fd = detail::take_eventfd();
      cv_.waiters_.lock();
      cv_.waiters_.push(node_);
      cv_.waiters_.unlock();
    }
    timed_entry(const timed_entry &) = delete;
    timed_entry &operator=(const timed_entry &) = delete;
    ~timed_entry() {
      (void)finish();
      detail::give_back_eventfd(node_.fd);
    }
    int fd() const noexcept { return node_.fd; }

    // Whether it was notified; leaves the queue otherwise.
    bool finish() noexcept {
      if (done_)
        return notified_;
      done_ = true;
      cv_.waiters_.lock();
      if (node_.queued)
        cv_.waiters_.remove(node_);
      else
        notified_ = true;
      cv_.waiters_.unlock();
      unsigned long long count;
      if (notified_)
        (void)!::read(node_.fd, &count, sizeof count);
      return notified_;
    }

  private:
    condition_variable &cv_;
    detail::wait_node node_;
    bool done_ = false;
    bool notified_ = false;
  };

  // Blocking mode: the thread waits. False on timeout.
  bool block(mutex &m, long long deadline) noexcept {
    detail::wait_node n;
    waiters_.lock();
    waiters_.push(n);
    waiters_.unlock();
    m.unlock();
    if (detail::block_thread(n.word, deadline))
      return true;
    waiters_.lock();
    const bool timed_out = n.queued;
    if (timed_out)
      waiters_.remove(n);
    waiters_.unlock();
    return !timed_out;
  }

  // Waits until notified (true) or the deadline (CLOCK_MONOTONIC ns,
  // negative for none) passed (false), the mutex released meanwhile.
  task<bool> wait_core(unique_lock<mutex> &lk, long long deadline);

  detail::wait_queue waiters_;
};

// Async mode, no deadline: a task_wait, as a mutex's waiters have.
class [[nodiscard]] condition_variable::untimed_awaiter {
public:
  untimed_awaiter(condition_variable &cv, mutex &m, bool &unlocked) noexcept
      : cv_(cv), m_(m), unlocked_(unlocked) {}
  untimed_awaiter(const untimed_awaiter &) = delete;
  untimed_awaiter &operator=(const untimed_awaiter &) = delete;

  // The frame was destroyed while the task waited: leave the queue.
  ~untimed_awaiter() {
    if (!waiting_)
      return;
    cv_.waiters_.lock();
    const bool queued = wait_.node.queued;
    if (queued)
      cv_.waiters_.remove(wait_.node);
    cv_.waiters_.unlock();
    if (queued)
      wait_.disarm();
  }

  bool await_ready() const noexcept { return false; }

  void await_suspend(std::coroutine_handle<> h) {
    wait_.arm(h); // may throw: the mutex is still held
    cv_.waiters_.lock();
    cv_.waiters_.push(wait_.node);
    cv_.waiters_.unlock();
    waiting_ = true;
    m_.unlock();
    unlocked_ = true;
  }

  void await_resume() noexcept { waiting_ = false; }

private:
  condition_variable &cv_;
  mutex &m_;
  bool &unlocked_;
  detail::task_wait wait_;
  bool waiting_ = false;
};

inline task<bool> condition_variable::wait_core(unique_lock<mutex> &lk,
                                                long long deadline) {
  mutex &m = detail::locked_mutex(lk);
  detail::relock_guard relock{lk};
  bool notified = true;
  std::exception_ptr error;
  if (!detail::tls_loop) {
    relock.unlocked = true;
    notified = block(m, deadline);
  } else if (deadline < 0) {
    co_await untimed_awaiter(*this, m, relock.unlocked);
  } else {
    timed_entry entry(*this); // may throw: the mutex is still held
    m.unlock();
    relock.unlocked = true;
    const long long left = deadline - detail::monotonic_ns();
    try {
      (void)co_await io::wait_op{
          {}, pollfd{entry.fd(), POLLIN, 0}, left > 0 ? left : 0};
    } catch (...) {
      error = std::current_exception();
    }
    notified = entry.finish();
  }
  // Held again before the caller sees the exception too, as its lock
  // expects.
  if (relock.unlocked) {
    co_await m.lock_async();
    relock.unlocked = false;
  }
  if (error)
    std::rethrow_exception(error);
  co_return notified;
}

} // namespace vinyl
