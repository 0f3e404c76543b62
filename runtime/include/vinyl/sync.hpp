// vinyl::mutex and vinyl::condition_variable: locking that survives an
// await, for code where a std::mutex guards state across a co_await and a
// std::condition_variable waits for another task or thread (a connection
// pool's queue). In async mode those would block the thread, and with it
// every task of its loop; these suspend the task instead.
//
// One mutex type stands for std::mutex, std::timed_mutex, std::shared_mutex
// and std::shared_timed_mutex (as absl::Mutex does): exclusive and shared
// ownership, each with timed tries. A program that never asks for shared
// ownership gets exactly std::mutex's behaviour and costs, and the tool
// rewrites all four std types to this one name. vinyl::timed_mutex,
// shared_mutex and shared_timed_mutex name it too. One condition variable
// stands for std::condition_variable and std::condition_variable_any: its
// waits take a unique_lock or a shared_lock of a vinyl::mutex.
//
// vinyl::mutex is a std Lockable, TimedLockable and SharedTimedLockable
// (lock, lock_shared, try_lock_for, ... block the thread, as the std types
// do), so code the tool leaves synchronous keeps using the same object.
// `co_await m.lock_async()` (and lock_shared_async) is ready at once after a
// plain lock when no loop runs on this thread (blocking mode); on a loop it
// suspends the task, never the thread, until the mutex is handed to it.
// `co_await m.try_lock_for_async(d)` is try_lock_for in blocking mode; on a
// loop the task waits with the loop's timer as its timeout. The uncontended
// path is one compare-and-swap either way; nothing is allocated per lock (a
// waiter's record lives in the awaiter, in its frame; a timed wait is a
// task, whose frame the runtime recycles).
//
// Contenders queue in FIFO order and an unlock hands the mutex straight to
// the first (and, when that one wants shared ownership, to the shared
// waiters right behind it): a thread blocked in lock() is woken through a
// futex; a task of the unlocker's own loop is posted to its ready queue; a
// task of another thread's loop is handed back through that loop's
// cross-thread path (the lock-free list and eventfd vinyl::offload uses); a
// timed waiter's eventfd is written. A shared lock is not granted while
// anyone waits, so a stream of readers cannot starve a writer.
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
// No recursive mutex: a std::recursive_mutex is owned by a thread, and all
// the tasks of a loop share one, so on the loop it does not exclude them
// from each other; ownership by a task cannot be told from the call chain of
// another task. The tool leaves such a mutex std and says so.
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
#include <shared_mutex>
#include <stop_token>
#include <system_error>
#include <type_traits>
#include <utility>

#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace vinyl {

class mutex;

template <class M> using lock_guard = std::lock_guard<M>;
template <class M> using unique_lock = std::unique_lock<M>;
template <class M> using shared_lock = std::shared_lock<M>;

namespace detail {

// What the timed operations take besides a duration: a std::chrono time
// point, or any type with a clock and a time_since_epoch.
template <class T>
concept time_point_like = requires(const T &t) {
  typename T::clock;
  t.time_since_epoch();
};

// The locks a wait or an awaited lock works with.
template <class Lock>
concept mutex_lock = std::is_same_v<Lock, unique_lock<mutex>> ||
    std::is_same_v<Lock, shared_lock<mutex>>;

template <class Lock>
inline constexpr bool is_shared_lock = std::is_same_v<Lock, shared_lock<mutex>>;

// The CLOCK_MONOTONIC deadline, in ns, of a timed operation starting now.
template <duration_like D> long long deadline_after(const D &rel) noexcept {
  return monotonic_ns() + timeout_ns(rel);
}

template <class Lock>
task<Lock> timed_scoped_lock(mutex &m, long long deadline);
template <class Lock>
task<bool> timed_relock(Lock &lk, mutex &m, long long deadline);

// One thread or task waiting on a mutex or a condition variable. It lives
// on the blocked thread's stack or in the suspended task's awaiter.
struct wait_node {
  wait_node *next = nullptr;
  event_loop *loop = nullptr; // the task's loop; nullptr for a thread
  offload_job *job = nullptr; // how a task is handed back to its loop
  int fd = -1;                // an eventfd a timed task polls instead
  int word = 0;               // 0 waiting, 1 woken, 2 thread asleep on it
  bool queued = false;
  bool shared = false; // a mutex's waiter for shared ownership
};

inline void futex_call(int *word, int op, int value,
                       const timespec *deadline) noexcept {
  ::syscall(SYS_futex, word, op, value, deadline, nullptr,
            FUTEX_BITSET_MATCH_ANY);
}

// Wakes w; called with the queue's guard held, so that a waiter that gives
// up (a timeout, a destroyed frame) and finds itself no longer queued knows
// the waker is done with its record. w may be gone as soon as this returns.
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
  wait_node *front() const noexcept { return head_; }
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
    throw os_error("vinyl/sync.hpp: cannot create an eventfd for a timed wait",
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

inline void reset_eventfd(int fd) noexcept {
  unsigned long long count;
  (void)!::read(fd, &count, sizeof count);
}

} // namespace detail

// A std Lockable, TimedLockable and SharedTimedLockable that tasks can also
// await. 32 bytes, constexpr, no destructor: it may live anywhere a
// std::mutex did. Must not be destroyed while locked or waited on, like
// std::mutex.
class mutex {
public:
  class lock_awaiter;

  constexpr mutex() noexcept = default;
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  // Exclusive ownership. lock blocks the thread (on a loop's thread: every
  // task of the loop).
  void lock() {
    if (!try_lock())
      lock_slow(false);
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

  // Shared ownership, as std::shared_mutex's: any number of holders at
  // once, none while it is held exclusively or anyone waits.
  void lock_shared() {
    if (!try_lock_shared())
      lock_slow(true);
  }

  bool try_lock_shared() noexcept {
    int s = __atomic_load_n(&state_, __ATOMIC_RELAXED);
    while ((s & (locked | contended)) == 0)
      if (__atomic_compare_exchange_n(&state_, &s, s + one_reader, true,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return true;
    return false;
  }

  void unlock_shared() noexcept {
    int s = __atomic_load_n(&state_, __ATOMIC_RELAXED);
    // The last holder with waiters hands the mutex over, under the guard.
    while (s != (one_reader | contended))
      if (__atomic_compare_exchange_n(&state_, &s, s - one_reader, true,
                                      __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        return;
    unlock_shared_slow();
  }

  // Timed tries, blocking the thread until the mutex is had or the time is
  // up (a time point is turned into a duration when the try starts).
  template <detail::duration_like D> bool try_lock_for(const D &rel) {
    return lock_by(detail::deadline_after(rel), false);
  }
  template <detail::time_point_like T> bool try_lock_until(const T &tp) {
    return try_lock_for(tp - T::clock::now());
  }
  template <detail::duration_like D> bool try_lock_shared_for(const D &rel) {
    return lock_by(detail::deadline_after(rel), true);
  }
  template <detail::time_point_like T> bool try_lock_shared_until(const T &tp) {
    return try_lock_shared_for(tp - T::clock::now());
  }

  // co_await m.lock_async() / lock_shared_async(): owned when it returns.
  // See the top of the file for the two modes.
  [[nodiscard]] lock_awaiter lock_async() noexcept;
  [[nodiscard]] lock_awaiter lock_shared_async() noexcept;

  // co_await m.try_lock_for_async(d) and the others: the timed tries for a
  // task, true when the mutex is owned. Blocking mode: the thread waits, as
  // in try_lock_for. Async mode: the task waits, on the loop's timer.
  template <detail::duration_like D>
  VINYL_CORO_WRAPPER task<bool> try_lock_for_async(const D &rel) {
    return lock_by_async(detail::deadline_after(rel), false);
  }
  template <detail::time_point_like T>
  VINYL_CORO_WRAPPER task<bool> try_lock_until_async(const T &tp) {
    return try_lock_for_async(tp - T::clock::now());
  }
  template <detail::duration_like D>
  VINYL_CORO_WRAPPER task<bool> try_lock_shared_for_async(const D &rel) {
    return lock_by_async(detail::deadline_after(rel), true);
  }
  template <detail::time_point_like T>
  VINYL_CORO_WRAPPER task<bool> try_lock_shared_until_async(const T &tp) {
    return try_lock_shared_for_async(tp - T::clock::now());
  }

private:
  template <class Lock>
  friend task<Lock> detail::timed_scoped_lock(mutex &m, long long deadline);
  template <class Lock>
  friend task<bool> detail::timed_relock(Lock &lk, mutex &m,
                                         long long deadline);
  class timed_wait;

  // Bit 0: held exclusively. Bit 1 (contended): the queue is not empty; it
  // changes only under the queue's guard, and only while the mutex is held,
  // so that an owner who lets go with it set hands the mutex over. The bits
  // above: the number of shared holders.
  enum : int { unlocked = 0, locked = 1, contended = 2, one_reader = 4 };

  bool try_acquire(bool shared) noexcept {
    return shared ? try_lock_shared() : try_lock();
  }
  void release(bool shared) noexcept {
    if (shared)
      unlock_shared();
    else
      unlock();
  }
  static bool free_for(int s, bool shared) noexcept {
    return shared ? (s & (locked | contended)) == 0 : s == unlocked;
  }

  void lock_slow(bool shared) {
    for (int i = 0; i != 128; ++i) {
      detail::spin_pause();
      if (free_for(__atomic_load_n(&state_, __ATOMIC_RELAXED), shared) &&
          try_acquire(shared))
        return;
    }
    detail::wait_node n;
    n.shared = shared;
    if (enqueue_or_acquire(n))
      detail::block_thread(n.word, -1);
  }

  // Blocking mode's timed try. deadline: CLOCK_MONOTONIC ns.
  bool lock_by(long long deadline, bool shared) {
    if (try_acquire(shared))
      return true;
    detail::wait_node n;
    n.shared = shared;
    if (!enqueue_or_acquire(n) || detail::block_thread(n.word, deadline))
      return true;
    return !withdraw(n); // handed over as the time ran out: owned
  }

  task<bool> lock_by_async(long long deadline, bool shared);

  // True when n was queued; false when the mutex was free and is now the
  // caller's, in the ownership n.shared asks for.
  bool enqueue_or_acquire(detail::wait_node &n) noexcept {
    waiters_.lock();
    int s = __atomic_load_n(&state_, __ATOMIC_RELAXED);
    for (;;) {
      if (free_for(s, n.shared)) {
        if (__atomic_compare_exchange_n(
                &state_, &s, n.shared ? s + one_reader : locked, false,
                __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
          waiters_.unlock();
          return false;
        }
      } else if ((s & contended) || __atomic_compare_exchange_n(
                                        &state_, &s, s | contended, false,
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
    // Held exclusively, nobody else changes the state but under the guard.
    if (waiters_.empty()) // the last waiter gave up meanwhile
      __atomic_store_n(&state_, unlocked, __ATOMIC_RELEASE);
    else
      hand_over();
    waiters_.unlock();
  }

  void unlock_shared_slow() noexcept {
    waiters_.lock();
    // Acquire: the holders that left before this last one (their release
    // compare-and-swaps) happen before the owner it hands the mutex to.
    int s = __atomic_load_n(&state_, __ATOMIC_ACQUIRE);
    for (;;) {
      if (s == (one_reader | contended)) {
        hand_over();
        break;
      }
      // The waiters gave up meanwhile; other holders may come and go.
      if (__atomic_compare_exchange_n(&state_, &s, s - one_reader, true,
                                      __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
        break;
    }
    waiters_.unlock();
  }

  // Under the guard, the queue not empty and the mutex about to have no
  // owner: the first waiter owns it now, and, if it asked for shared
  // ownership, so do the shared waiters right behind it.
  void hand_over() noexcept {
    detail::wait_node *first = waiters_.pop();
    if (!first->shared) {
      __atomic_store_n(&state_, waiters_.empty() ? locked : locked | contended,
                       __ATOMIC_RELEASE);
      detail::wake(*first); // it owns the mutex now
      return;
    }
    int readers = 0;
    detail::wait_node *batch = take_shared_front(first, readers);
    __atomic_store_n(
        &state_, (readers * one_reader) | (waiters_.empty() ? 0 : contended),
        __ATOMIC_RELEASE);
    wake_all(batch);
  }

  // Pops the shared waiters at the front after first (popped already),
  // linked from first; readers counts them all.
  detail::wait_node *take_shared_front(detail::wait_node *first,
                                       int &readers) noexcept {
    readers = 1;
    detail::wait_node *last = first;
    while (waiters_.front() && waiters_.front()->shared) {
      last->next = waiters_.pop();
      last = last->next;
      ++readers;
    }
    last->next = nullptr;
    return first;
  }

  // Wakes a list taken from the queue; a woken record may vanish at once.
  static void wake_all(detail::wait_node *n) noexcept {
    while (n) {
      detail::wait_node *next = n->next;
      detail::wake(*n);
      n = next;
    }
  }

  // A waiter that gives up (a timeout, a destroyed frame). True if it was
  // still queued; false if the mutex was handed to it already.
  bool withdraw(detail::wait_node &n) noexcept {
    waiters_.lock();
    const bool was_queued = n.queued;
    if (was_queued) {
      waiters_.remove(n);
      int s = __atomic_load_n(&state_, __ATOMIC_RELAXED);
      if (waiters_.empty()) {
        // Shared holders but the last may leave meanwhile.
        while (!__atomic_compare_exchange_n(&state_, &s, s & ~contended, true,
                                            __ATOMIC_RELAXED,
                                            __ATOMIC_RELAXED)) {
        }
      } else if ((s & locked) == 0 && waiters_.front()->shared) {
        // Held shared, and the shared waiters now at the front waited only
        // behind n: they join the holders.
        int readers = 0;
        detail::wait_node *batch = take_shared_front(waiters_.pop(), readers);
        const int keep = waiters_.empty() ? ~contended : ~0;
        while (!__atomic_compare_exchange_n(
            &state_, &s, (s + readers * one_reader) & keep, true,
            __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        }
        wake_all(batch);
      }
    }
    waiters_.unlock();
    return was_queued;
  }

  int state_ = unlocked;
  detail::wait_queue waiters_;
};

using timed_mutex = mutex;
using shared_mutex = mutex;
using shared_timed_mutex = mutex;

class [[nodiscard]] mutex::lock_awaiter {
public:
  explicit lock_awaiter(mutex &m, bool shared = false) noexcept : m_(m) {
    wait_.node.shared = shared;
  }
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
      m_.release(wait_.node.shared);
  }

  bool await_ready() {
    const bool shared = wait_.node.shared;
    if (m_.try_acquire(shared))
      return true;
    if (detail::tls_loop)
      return false;
    m_.lock_slow(shared);
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
  return lock_awaiter(*this, false);
}

inline mutex::lock_awaiter mutex::lock_shared_async() noexcept {
  return lock_awaiter(*this, true);
}

// A task's timed try in async mode: queued with an eventfd for the waker to
// write, which the task polls with the loop's timer as timeout.
class mutex::timed_wait {
public:
  // Throws os_error when no eventfd can be made; nothing is queued then.
  timed_wait(mutex &m, bool shared) : m_(m) {
    node_.fd = detail::take_eventfd();
    node_.shared = shared;
    if (!m_.enqueue_or_acquire(node_))
      done_ = owned_ = true;
  }
  timed_wait(const timed_wait &) = delete;
  timed_wait &operator=(const timed_wait &) = delete;
  // A frame destroyed while it polled passes on a mutex handed over to it.
  ~timed_wait() {
    if (!done_ && finish())
      m_.release(node_.shared);
    detail::give_back_eventfd(node_.fd);
  }

  bool owned() const noexcept { return owned_; }
  int fd() const noexcept { return node_.fd; }

  // Whether the mutex was handed over; leaves the queue otherwise.
  bool finish() noexcept {
    done_ = true;
    owned_ = !m_.withdraw(node_);
    if (owned_)
      detail::reset_eventfd(node_.fd);
    return owned_;
  }

private:
  mutex &m_;
  detail::wait_node node_;
  bool done_ = false;
  bool owned_ = false;
};

inline task<bool> mutex::lock_by_async(long long deadline, bool shared) {
  if (try_acquire(shared))
    co_return true;
  if (!detail::tls_loop)
    co_return lock_by(deadline, shared);
  timed_wait entry(*this, shared);
  if (entry.owned())
    co_return true;
  const long long left = deadline - detail::monotonic_ns();
  std::exception_ptr error;
  try {
    (void)co_await io::wait_op{
        {}, pollfd{entry.fd(), POLLIN, 0}, left > 0 ? left : 0};
  } catch (...) {
    error = std::current_exception();
  }
  const bool owned = entry.finish();
  if (error) {
    if (owned)
      release(shared);
    std::rethrow_exception(error);
  }
  co_return owned;
}

namespace detail {

// What scoped_lock(m), scoped_lock_shared(m) and lock_async(lk) yield: a
// lock (unique_lock or shared_lock) that owns the mutex.
template <class Lock>
class [[nodiscard]] guard_awaiter : public mutex::lock_awaiter {
public:
  guard_awaiter(mutex &m, Lock *lk) noexcept
      : lock_awaiter(m, is_shared_lock<Lock>), lk_(lk) {}
  Lock await_resume() noexcept {
    lock_awaiter::await_resume();
    Lock owner(m_, std::adopt_lock);
    if (lk_)
      lk_->swap(owner); // owner now holds lk's old, unowned state
    return owner;
  }

private:
  Lock *lk_;
};

// lk's mutex, which it must have and not own yet: else the std::system_error
// lk.lock() throws.
template <mutex_lock Lock> mutex &unowned_mutex(Lock &lk) {
  if (!lk.mutex())
    throw std::system_error(
        std::make_error_code(std::errc::operation_not_permitted));
  if (lk.owns_lock())
    throw std::system_error(
        std::make_error_code(std::errc::resource_deadlock_would_occur));
  return *lk.mutex();
}

template <class Lock>
task<Lock> timed_scoped_lock(mutex &m, long long deadline) {
  const bool owned = co_await m.lock_by_async(deadline, is_shared_lock<Lock>);
  if (owned)
    co_return Lock(m, std::adopt_lock);
  co_return Lock(m, std::defer_lock);
}

template <class Lock>
task<bool> timed_relock(Lock &lk, mutex &m, long long deadline) {
  const bool owned = co_await m.lock_by_async(deadline, is_shared_lock<Lock>);
  if (owned) {
    Lock owner(m, std::adopt_lock);
    lk.swap(owner);
  }
  co_return owned;
}

} // namespace detail

// auto lk = co_await vinyl::scoped_lock(m): a unique_lock that owns m.
inline detail::guard_awaiter<unique_lock<mutex>>
scoped_lock(mutex &m) noexcept {
  return {m, nullptr};
}

// auto lk = co_await vinyl::scoped_lock_shared(m): a shared_lock that owns
// m (shared).
inline detail::guard_awaiter<shared_lock<mutex>>
scoped_lock_shared(mutex &m) noexcept {
  return {m, nullptr};
}

// auto lk = co_await vinyl::scoped_lock(m, 100ms) (or a time point): what
// std::unique_lock<std::timed_mutex> lk(m, 100ms) makes, a lock that owns m
// if it was had in time; the wait is a task's on a loop.
template <detail::duration_like D>
VINYL_CORO_WRAPPER task<unique_lock<mutex>> scoped_lock(mutex &m,
                                                        const D &rel) {
  return detail::timed_scoped_lock<unique_lock<mutex>>(
      m, detail::deadline_after(rel));
}
template <detail::time_point_like T>
VINYL_CORO_WRAPPER task<unique_lock<mutex>> scoped_lock(mutex &m, const T &tp) {
  return scoped_lock(m, tp - T::clock::now());
}
template <detail::duration_like D>
VINYL_CORO_WRAPPER task<shared_lock<mutex>> scoped_lock_shared(mutex &m,
                                                               const D &rel) {
  return detail::timed_scoped_lock<shared_lock<mutex>>(
      m, detail::deadline_after(rel));
}
template <detail::time_point_like T>
VINYL_CORO_WRAPPER task<shared_lock<mutex>> scoped_lock_shared(mutex &m,
                                                               const T &tp) {
  return scoped_lock_shared(m, tp - T::clock::now());
}

// co_await vinyl::lock_async(lk): lk.lock() for a task, lk a unique_lock or
// shared_lock. Throws std::system_error, as lk.lock() does, when lk has no
// mutex or owns it.
template <detail::mutex_lock Lock>
detail::guard_awaiter<Lock> lock_async(Lock &lk) {
  return {detail::unowned_mutex(lk), &lk};
}

// co_await vinyl::try_lock_for(lk, d), try_lock_until(lk, tp): the lock's
// timed tries for a task, with their exceptions.
template <detail::mutex_lock Lock, detail::duration_like D>
VINYL_CORO_WRAPPER task<bool> try_lock_for(Lock &lk, const D &rel) {
  mutex &m = detail::unowned_mutex(lk);
  return detail::timed_relock(lk, m, detail::deadline_after(rel));
}
template <detail::mutex_lock Lock, detail::time_point_like T>
VINYL_CORO_WRAPPER task<bool> try_lock_until(Lock &lk, const T &tp) {
  return try_lock_for(lk, tp - T::clock::now());
}

namespace detail {

// The waiting coroutine's promise to its lock: the mutex is unlocked
// underneath it. A frame destroyed in that state never re-locks, so the
// lock must not unlock when it is destroyed in turn.
template <class Lock> struct relock_guard {
  Lock &lock;
  bool unlocked = false;
  ~relock_guard() {
    if (unlocked)
      (void)lock.release();
  }
};

template <mutex_lock Lock> mutex &locked_mutex(Lock &lk) {
  if (!lk.mutex() || !lk.owns_lock())
    throw std::system_error(
        std::make_error_code(std::errc::operation_not_permitted));
  return *lk.mutex();
}

inline void let_go(mutex &m, bool shared) noexcept {
  if (shared)
    m.unlock_shared();
  else
    m.unlock();
}

} // namespace detail

// Waits release the lock's mutex while the thread (blocking mode) or task
// (async mode) waits, and hold it again when they return. The lock, a
// vinyl::unique_lock<vinyl::mutex> or vinyl::shared_lock<vinyl::mutex>
// (what std::condition_variable_any would take), must own the mutex (else
// std::system_error). notify_one and notify_all may be called from any task
// or thread, with or without the mutex.
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

  template <detail::mutex_lock Lock> task<void> wait(Lock &lk) {
    (void)co_await wait_core(lk, -1);
  }

  template <detail::mutex_lock Lock, class Pred>
  task<void> wait(Lock &lk, Pred pred) {
    while (!pred())
      (void)co_await wait_core(lk, -1);
  }

  template <detail::mutex_lock Lock, detail::duration_like D>
  task<std::cv_status> wait_for(Lock &lk, D rel) {
    const bool notified = co_await wait_core(lk, detail::deadline_after(rel));
    co_return notified ? std::cv_status::no_timeout : std::cv_status::timeout;
  }

  template <detail::mutex_lock Lock, detail::duration_like D, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait_for(Lock &lk, D rel, Pred pred) {
    return wait_pred(lk, detail::deadline_after(rel),
                     static_cast<Pred &&>(pred));
  }

  template <detail::mutex_lock Lock, class TimePoint>
  VINYL_CORO_WRAPPER task<std::cv_status> wait_until(Lock &lk, TimePoint tp) {
    return wait_for(lk, tp - TimePoint::clock::now());
  }

  template <detail::mutex_lock Lock, class TimePoint, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait_until(Lock &lk, TimePoint tp, Pred pred) {
    return wait_for(lk, tp - TimePoint::clock::now(),
                    static_cast<Pred &&>(pred));
  }

  // std::condition_variable_any's interruptible waits: until pred() holds
  // or a stop is requested (which wakes the wait), then pred(). A stop
  // requested from any thread or task wakes every waiter of this variable,
  // which tests its predicate again.
  template <detail::mutex_lock Lock, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait(Lock &lk, std::stop_token st, Pred pred) {
    return wait_stop(lk, static_cast<std::stop_token &&>(st), -1,
                     static_cast<Pred &&>(pred));
  }

  template <detail::mutex_lock Lock, detail::duration_like D, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait_for(Lock &lk, std::stop_token st, D rel,
                                         Pred pred) {
    return wait_stop(lk, static_cast<std::stop_token &&>(st),
                     detail::deadline_after(rel), static_cast<Pred &&>(pred));
  }

  template <detail::mutex_lock Lock, class TimePoint, class Pred>
  VINYL_CORO_WRAPPER task<bool> wait_until(Lock &lk, std::stop_token st,
                                           TimePoint tp, Pred pred) {
    return wait_for(lk, static_cast<std::stop_token &&>(st),
                    tp - TimePoint::clock::now(), static_cast<Pred &&>(pred));
  }

private:
  template <class Lock, class Pred>
  task<bool> wait_stop(Lock &lk, std::stop_token st, long long deadline,
                       Pred pred) {
    std::stop_callback wake(st, [this]() noexcept { notify_all(); });
    bool met = pred();
    while (!met && !st.stop_requested()) {
      const bool notified = co_await wait_core(lk, deadline, &st);
      met = pred();
      if (!notified)
        break;
    }
    co_return met;
  }

  template <class Lock, class Pred>
  task<bool> wait_pred(Lock &lk, long long deadline, Pred pred) {
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
    timed_entry(condition_variable &cv, const std::stop_token *stop)
        : cv_(cv) {
      node_.fd = detail::take_eventfd();
      cv_.waiters_.lock();
      if (stopping(stop))
        done_ = notified_ = true;
      else
        cv_.waiters_.push(node_);
      cv_.waiters_.unlock();
    }
    // A stop was requested before it was queued: no wait.
    bool stopped() const noexcept { return done_; }
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
      if (notified_)
        detail::reset_eventfd(node_.fd);
      return notified_;
    }

  private:
    condition_variable &cv_;
    detail::wait_node node_;
    bool done_ = false;
    bool notified_ = false;
  };

  // Blocking mode: the thread waits. 1 when notified, 0 on timeout, -1
  // when a stop came first (no wait, the mutex still held).
  int block(mutex &m, bool shared, long long deadline,
            const std::stop_token *stop) noexcept {
    detail::wait_node n;
    waiters_.lock();
    if (stopping(stop)) {
      waiters_.unlock();
      return -1;
    }
    waiters_.push(n);
    waiters_.unlock();
    detail::let_go(m, shared);
    if (detail::block_thread(n.word, deadline))
      return 1;
    waiters_.lock();
    const bool timed_out = n.queued;
    if (timed_out)
      waiters_.remove(n);
    waiters_.unlock();
    return timed_out ? 0 : 1;
  }

  // Waits until notified (true) or the deadline (CLOCK_MONOTONIC ns,
  // negative for none) passed (false), the mutex released meanwhile.
  // A stop is checked where the wait is queued, under the queue's lock,
  // which the stop's notify_all takes too: no stop is missed between.
  template <class Lock>
  task<bool> wait_core(Lock &lk, long long deadline,
                       const std::stop_token *stop = nullptr);
  static bool stopping(const std::stop_token *stop) noexcept {
    return stop && stop->stop_requested();
  }

  detail::wait_queue waiters_;
};

// std::condition_variable_any's waits take any lock; this one's, the locks
// of a vinyl::mutex (see above).
using condition_variable_any = condition_variable;

// Async mode, no deadline: a task_wait, as a mutex's waiters have.
class [[nodiscard]] condition_variable::untimed_awaiter {
public:
  untimed_awaiter(condition_variable &cv, mutex &m, bool shared,
                  bool &unlocked, const std::stop_token *stop) noexcept
      : cv_(cv), m_(m), shared_(shared), unlocked_(unlocked), stop_(stop) {}
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

  bool await_suspend(std::coroutine_handle<> h) {
    wait_.arm(h); // may throw: the mutex is still held
    cv_.waiters_.lock();
    if (stopping(stop_)) {
      cv_.waiters_.unlock();
      wait_.disarm();
      return false; // a stop: no wait, the mutex still held
    }
    cv_.waiters_.push(wait_.node);
    cv_.waiters_.unlock();
    waiting_ = true;
    detail::let_go(m_, shared_);
    unlocked_ = true;
    return true;
  }

  void await_resume() noexcept { waiting_ = false; }

private:
  condition_variable &cv_;
  mutex &m_;
  bool shared_;
  bool &unlocked_;
  const std::stop_token *stop_;
  detail::task_wait wait_;
  bool waiting_ = false;
};

template <class Lock>
task<bool> condition_variable::wait_core(Lock &lk, long long deadline,
                                         const std::stop_token *stop) {
  constexpr bool shared = detail::is_shared_lock<Lock>;
  mutex &m = detail::locked_mutex(lk);
  detail::relock_guard<Lock> relock{lk};
  bool notified = true;
  std::exception_ptr error;
  if (!detail::tls_loop) {
    const int waited = block(m, shared, deadline, stop);
    relock.unlocked = waited >= 0;
    notified = waited != 0;
  } else if (deadline < 0) {
    co_await untimed_awaiter(*this, m, shared, relock.unlocked, stop);
  } else {
    timed_entry entry(*this, stop); // may throw: the mutex is still held
    if (entry.stopped())
      co_return true;
    detail::let_go(m, shared);
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
    co_await mutex::lock_awaiter(m, shared);
    relock.unlocked = false;
  }
  if (error)
    std::rethrow_exception(error);
  co_return notified;
}

} // namespace vinyl
