// vinyl::block_on: run a task to completion on the calling thread.
//
// This is what a synchronous facade calls. In blocking mode every I/O leaf is
// immediately ready, so one resume() runs the whole call tree. A task that
// suspends anyway would wait for an event loop that does not exist; rather
// than hang, block_on destroys it and throws no_event_loop.
//
// In async mode block_on runs an event loop on this thread until the task,
// and every task it spawned there, finished. Called where a loop already runs
// (a facade reached from a task, say from a constructor), it runs the task on
// that loop until the task alone finished: the loop's other tasks keep
// running meanwhile, and what the task spawned goes on after it.
#pragma once

#include <vinyl/epoll_loop.hpp>
#include <vinyl/error.hpp>
#include <vinyl/event_loop.hpp>
#include <vinyl/fast_task.hpp>
#include <vinyl/io_uring_loop.hpp>
#include <vinyl/task.hpp>

#include <cerrno>
#include <utility>

namespace vinyl {
namespace detail {

// The backend requested, or epoll when io_uring is refused and the choice is
// automatic. Throws os_error when the requested one is refused.
inline event_loop *make_loop() {
  const io_backend backend = requested_io_backend();
  event_loop *loop = nullptr;
  if (backend != io_backend::epoll)
    loop = uring_loop::create();
  if (!loop && backend != io_backend::io_uring)
    loop = epoll_loop::create();
  if (!loop) {
    throw os_error(backend == io_backend::io_uring
                       ? "vinyl: cannot create an io_uring instance"
                       : "vinyl: cannot create an event loop",
                   errno);
  }
  return loop;
}

// Setting up a ring costs syscalls and mappings, so each thread keeps the
// loop of its last run for the next one.
// Set once this thread's cache is destroyed. Thread-local objects go
// before static ones: a facade called from a static object's destructor
// (a global socket closed at exit) runs after the cache is gone, and must
// neither take its loop nor leave one there. A plain bool has no
// destructor, so it can be read at any time.
inline constinit thread_local bool tls_idle_loop_gone = false;

struct idle_loop_cache {
  event_loop *loop = nullptr;
  idle_loop_cache() = default;
  idle_loop_cache(const idle_loop_cache &) = delete;
  idle_loop_cache &operator=(const idle_loop_cache &) = delete;
  ~idle_loop_cache() {
    delete loop;
    loop = nullptr;
    tls_idle_loop_gone = true;
  }
};

inline thread_local idle_loop_cache tls_idle_loop;

// Makes a loop the one running on this thread for the lease's lifetime.
class loop_lease {
public:
  loop_lease() : outer_(tls_loop) {
    const io_backend wanted = requested_io_backend();
    if (!tls_idle_loop_gone) {
      loop_ = tls_idle_loop.loop;
      tls_idle_loop.loop = nullptr;
    }
    // A child process must not use the loop its parent cached: an io_uring
    // instance accepts submissions from its creator only.
    if (loop_ &&
        ((wanted != io_backend::automatic && loop_->backend() != wanted) ||
         !loop_->made_in_this_process())) {
      delete loop_;
      loop_ = nullptr;
    }
    if (!loop_)
      loop_ = make_loop();
    tls_loop = loop_;
  }
  loop_lease(const loop_lease &) = delete;
  loop_lease &operator=(const loop_lease &) = delete;

  ~loop_lease() {
    tls_loop = outer_;
    // A loop left with work (an exception cut a run short) is not reused,
    // nor kept once the cache is gone.
    if (!tls_idle_loop_gone && !tls_idle_loop.loop && loop_->idle())
      tls_idle_loop.loop = loop_;
    else
      delete loop_;
  }

  event_loop &loop() const noexcept { return *loop_; }

private:
  event_loop *outer_;
  event_loop *loop_ = nullptr;
};

template <class T> T run_on_loop(task<T> t) {
  loop_lease lease;
  event_loop &loop = lease.loop();
  const auto h = task_access::handle(t);
  h.promise().continuation_ = std::noop_coroutine();
  loop.post(h);
  loop.run_until([&] { return h.done() && loop.detached_count() == 0; });
  return h.promise().result();
}

// The loop already running on this thread serves the task too.
template <class T> T run_nested(event_loop &loop, task<T> t) {
  const auto h = task_access::handle(t);
  h.promise().continuation_ = std::noop_coroutine();
  loop.post(h);
  loop.run_until([&] { return h.done(); });
  return h.promise().result();
}

template <class A>
using await_result_t = decltype(std::declval<A &>().await_resume());

// By reference: some awaitables cannot move (a pack's call records where
// its worker writes the result); block_on's parameter outlives the task.
template <class A> task<await_result_t<A>> await_in_task(A &a) {
  co_return co_await static_cast<A &&>(a);
}

} // namespace detail

// The tag of a synchronous twin, `R f(vinyl::twin_t, P... p)`: f's body as
// it was before the conversion, which f's facade runs where the coroutine
// would never suspend. Explicit, so that no argument converts to it.
struct twin_t {
  explicit twin_t() = default;
};
inline constexpr twin_t twin{};

// Whether a facade may run its synchronous twin instead of waiting for its
// coroutine: blocking mode and no event loop on this thread, where every
// leaf makes its blocking call at once, so both make the same calls.
inline bool runs_blocking() {
  return !detail::tls_loop && current_io_mode() == io_mode::blocking;
}

// Returns the task's result, or rethrows the exception that escaped it.
// Blocking mode: throws no_event_loop, after destroying the task's frames, if
// it suspended. Async mode: throws deadlock if it (or a task it spawned)
// suspends on something no loop will complete.
template <class T> T block_on(task<T> t) {
  if (detail::tls_loop)
    return detail::run_nested(*detail::tls_loop, std::move(t));
  if (current_io_mode() == io_mode::async)
    return detail::run_on_loop(std::move(t));
  const auto h = detail::task_access::handle(t);
  h.promise().continuation_ = std::noop_coroutine();
  h.resume();
  if (!h.done())
    throw no_event_loop();
  return h.promise().result();
}

// block_on(f(a)) of a function split at a cold guard: the value its plain
// half returned, or else its coroutine's, waited for as any task.
template <class T> T block_on(fast_task<T> t) {
  if (t.ready())
    return std::move(t).take_value();
  return block_on(std::move(t).take_task());
}

// block_on(a) of an awaitable that is no task (a leaf's, a pack's): what
// the tool writes where a function that cannot become a coroutine (a
// constructor) calls a leaf. On a thread that runs a loop the loop keeps
// serving its other tasks while the call waits, as for a facade; in
// blocking mode it is the plain call, with no coroutine frame.
template <class A>
requires(!detail::is_task<A>) && requires(A &a) {
  { a.await_ready() } -> std::convertible_to<bool>;
  a.await_resume();
}
detail::await_result_t<A> block_on(A a) {
  if (!detail::tls_loop && current_io_mode() == io_mode::blocking &&
      a.await_ready())
    return a.await_resume();
  return block_on(detail::await_in_task(a));
}

} // namespace vinyl
