// vinyl::spawn, vinyl::join_handle and vinyl::run: concurrent tasks.
//
// spawn is what converted code calls where it started a std::thread. On a
// running event loop the task becomes one more task of that loop; elsewhere
// (blocking mode, or no loop on this thread) it gets a thread of its own, so
// the program keeps its meaning in both modes. Like a std::thread function, a
// spawned task that lets an exception escape terminates the program.
//
// spawn returns a join_handle, what the std::thread object becomes:
// `co_await h.join()` (or `block_on(h.join())` in a function that stays
// synchronous) waits until the spawned work has finished, and a handle
// dropped unjoined detaches, so `std::thread(f, a).detach()` becomes a
// discarded `vinyl::spawn(f, a);`.
//
// Threads come from pthread_create rather than std::thread: <thread> would
// add a third of a second to the parse of every converted file.
#pragma once

#include <vinyl/block_on.hpp>
#include <vinyl/error.hpp>
#include <vinyl/frame_allocator.hpp>
#include <vinyl/task.hpp>

#include <cerrno>
#include <climits>
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace vinyl {
namespace detail {

// What a task spawned on a loop shares with its join_handle. Either side may
// let go first (a handle is often dropped at once, or joined long after the
// task finished), so the last one frees it; atomically, since the handle may
// be moved to another thread and dropped or joined there.
class join_state : public recycled_frame {
public:
  // This thread runs the loop the task is spawned on.
  join_state() noexcept : thread_(::pthread_self()) {}
  join_state(const join_state &) = delete;
  join_state &operator=(const join_state &) = delete;

  void release() noexcept {
    if (__atomic_sub_fetch(&refs_, 1, __ATOMIC_ACQ_REL) == 0)
      delete this;
  }

  bool done() const noexcept {
    return __atomic_load_n(&status_, __ATOMIC_ACQUIRE) == finished;
  }

  // Whether a joiner on this thread can suspend until the loop resumes it.
  // No loop resumes a coroutine of another thread.
  bool on_this_thread() const noexcept {
    return ::pthread_equal(thread_, ::pthread_self()) != 0;
  }

  // A joiner on the task's thread waits to be posted to its own loop.
  void set_waiter(std::coroutine_handle<> waiter, event_loop *loop) noexcept {
    waiter_ = waiter;
    waiter_loop_ = loop;
  }

  // The joiner is being destroyed while suspended (its loop gave up on a
  // deadlock): the end of the task must not resume it.
  void clear_waiter(std::coroutine_handle<> waiter) noexcept {
    if (waiter_ == waiter)
      waiter_ = nullptr;
  }

  // A joiner on another thread blocks that thread until the task ended.
  void wait() noexcept {
    int expected = running;
    __atomic_compare_exchange_n(&status_, &expected, running_blocked, false,
                                __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE);
    while (__atomic_load_n(&status_, __ATOMIC_ACQUIRE) == running_blocked)
      futex(FUTEX_WAIT_PRIVATE, running_blocked);
  }

  // On the loop's thread, when the task ended: completed, or destroyed
  // unfinished by the loop's deadlock handling, which destroys a suspended
  // joiner of the same loop too, so that one is not resumed.
  void finish(bool completed) noexcept {
    if (__atomic_exchange_n(&status_, finished, __ATOMIC_ACQ_REL) ==
        running_blocked)
      futex(FUTEX_WAKE_PRIVATE, INT_MAX);
    if (waiter_ && completed) {
      const std::coroutine_handle<> waiter = waiter_;
      waiter_ = nullptr;
      waiter_loop_->post(waiter);
    }
    release();
  }

private:
  // status_ is a futex word only when a thread blocks on it, so a task
  // nobody waits for from another thread ends without a system call.
  enum : int { running, finished, running_blocked };

  void futex(int op, int value) noexcept {
    ::syscall(SYS_futex, &status_, op, value, nullptr, nullptr, 0);
  }

  int refs_ = 2; // the task and the handle
  int status_ = running;
  pthread_t thread_;
  std::coroutine_handle<> waiter_;
  event_loop *waiter_loop_ = nullptr;
};

// The coroutine that owns a spawned task on a loop. It starts when the loop
// resumes it and frees itself when the task finishes.
class detached {
public:
  class promise_type : public recycled_frame {
  public:
    detached get_return_object() noexcept {
      return detached(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() noexcept { completed_ = true; }
    [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }

    // Destroyed after the task (see detach), so a join that returns has
    // seen its arguments destroyed, as a thread's copies are.
    ~promise_type() {
      if (loop_)
        loop_->release(link_);
      if (join_)
        join_->finish(completed_);
    }

    void attach(event_loop &loop, join_state &join) noexcept {
      loop_ = &loop;
      join_ = &join;
      link_.frame = std::coroutine_handle<promise_type>::from_promise(*this);
      loop.adopt(link_);
    }

  private:
    event_loop *loop_ = nullptr;
    join_state *join_ = nullptr;
    detached_link link_;
    bool completed_ = false;
  };

  std::coroutine_handle<promise_type> handle;

private:
  explicit detached(std::coroutine_handle<promise_type> h) noexcept
      : handle(h) {}
};

template <class T> detached detach(task<T> t) {
  // The result of a spawned task is dropped, as a thread function's is. The
  // task is a local so that its frame, and the arguments it owns, are
  // destroyed when it finishes rather than with this frame.
  task<T> work = std::move(t);
  co_await std::move(work);
}

// The threads a blocking-mode run is waiting for: those spawned by its task,
// and, transitively, by those threads. It lives on run's stack; a mutex and
// condition variable (rather than an atomic wait) because the last thread
// may still be signalling when run wakes up and destroys it, which POSIX
// allows for these.
class spawn_group {
public:
  spawn_group() = default;
  spawn_group(const spawn_group &) = delete;
  spawn_group &operator=(const spawn_group &) = delete;
  ~spawn_group() {
    ::pthread_cond_destroy(&finished_);
    ::pthread_mutex_destroy(&mutex_);
  }

  void add() noexcept {
    ::pthread_mutex_lock(&mutex_);
    ++running_;
    ::pthread_mutex_unlock(&mutex_);
  }

  void done() noexcept {
    ::pthread_mutex_lock(&mutex_);
    if (--running_ == 0)
      ::pthread_cond_broadcast(&finished_);
    ::pthread_mutex_unlock(&mutex_);
  }

  void wait() noexcept {
    ::pthread_mutex_lock(&mutex_);
    while (running_ != 0)
      ::pthread_cond_wait(&finished_, &mutex_);
    ::pthread_mutex_unlock(&mutex_);
  }

private:
  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t finished_ = PTHREAD_COND_INITIALIZER;
  long running_ = 0;
};

// The group spawned threads join: the innermost blocking-mode run on this
// thread, or the group of the run that spawned this thread.
inline constinit thread_local spawn_group *tls_spawn_group = nullptr;

template <class T> struct thread_start {
  task<T> work;
  spawn_group *group;
};

template <class T> void *spawned_thread_main(void *arg) noexcept {
  auto *start = static_cast<thread_start<T> *>(arg);
  spawn_group *group = start->group;
  {
    task<T> work = std::move(start->work);
    delete start;
    tls_spawn_group = group;
    // An escaping exception terminates, as from a std::thread function:
    // this function is noexcept.
    block_on(std::move(work));
  }
  if (group)
    group->done();
  return nullptr;
}

// Starts a joinable thread: the join_handle joins or detaches it.
template <class T> pthread_t spawn_thread(task<T> t) {
  // A bad VINYL_IO is reported here rather than by the thread's block_on,
  // where it could only terminate.
  (void)current_io_mode();
  spawn_group *group = tls_spawn_group;
  auto *start = new thread_start<T>{std::move(t), group};
  if (group)
    group->add();
  pthread_t thread;
  const int error =
      ::pthread_create(&thread, nullptr, &spawned_thread_main<T>, start);
  if (error == 0)
    return thread;
  if (group)
    group->done();
  delete start;
  throw os_error("vinyl::spawn", error);
}

// Makes a group the one this thread's spawns join, and waits for it.
class spawn_scope {
public:
  spawn_scope() noexcept : outer_(tls_spawn_group) { tls_spawn_group = &group_; }
  spawn_scope(const spawn_scope &) = delete;
  spawn_scope &operator=(const spawn_scope &) = delete;
  ~spawn_scope() {
    group_.wait();
    tls_spawn_group = outer_;
  }

private:
  spawn_group group_;
  spawn_group *outer_;
};

class join_awaiter;

} // namespace detail

// What spawn returns, as std::thread is what starting a thread returns:
// join() waits for the spawned work, and a handle destroyed or assigned over
// while still joinable detaches it (std::thread would terminate). Move-only.
class join_handle {
public:
  // Not joinable, like a default-constructed std::thread.
  join_handle() noexcept = default;

  join_handle(join_handle &&other) noexcept
      : kind_(other.kind_), state_(other.state_), thread_(other.thread_) {
    other.kind_ = kind::none;
  }

  join_handle &operator=(join_handle &&other) noexcept {
    if (this != &other) {
      detach();
      kind_ = other.kind_;
      other.kind_ = kind::none;
      state_ = other.state_;
      thread_ = other.thread_;
    }
    return *this;
  }

  ~join_handle() { detach(); }

  // True until joined, detached or moved from.
  bool joinable() const noexcept { return kind_ != kind::none; }

  // Lets the spawned work run on unobserved; vinyl::run still waits for it.
  // Does nothing on a handle that is not joinable.
  void detach() noexcept {
    if (kind_ == kind::loop)
      state_->release();
    else if (kind_ == kind::thread)
      ::pthread_detach(thread_);
    kind_ = kind::none;
  }

  // A task that completes once the spawned work has finished (its result is
  // dropped). It takes the handle over at once: afterwards joinable() is
  // false, and destroying the task unawaited detaches. Throws join_error
  // (code EINVAL) if the handle is not joinable.
  //
  // Spawned on a loop: awaiting suspends until the task finishes, and the
  // loop resumes the awaiting coroutine (or is ready at once if it already
  // finished); awaited on another thread, it blocks that thread instead.
  // Spawned on a thread: it blocks until the thread has exited
  // (pthread_join), and is then ready.
  VINYL_CORO_WRAPPER task<void> join() {
    if (!joinable())
      throw join_error(EINVAL);
    return wait_for(std::move(*this));
  }

private:
  template <class T> friend join_handle spawn(task<T> t);
  friend class detail::join_awaiter;

  enum class kind : unsigned char { none, loop, thread };

  explicit join_handle(detail::join_state &state) noexcept
      : kind_(kind::loop), state_(&state) {}
  explicit join_handle(pthread_t thread) noexcept
      : kind_(kind::thread), thread_(thread) {}

  static task<void> wait_for(join_handle h);

  kind kind_ = kind::none;
  detail::join_state *state_ = nullptr;
  pthread_t thread_{};
};

namespace detail {

// What join() awaits: ready once the spawned work has finished, or
// suspended until the task's loop finishes it.
class join_awaiter {
public:
  explicit join_awaiter(join_handle &h) noexcept : h_(h) {}
  join_awaiter(const join_awaiter &) = delete;
  join_awaiter &operator=(const join_awaiter &) = delete;

  ~join_awaiter() {
    if (waiter_)
      h_.state_->clear_waiter(waiter_);
  }

  bool await_ready() {
    if (h_.kind_ == join_handle::kind::thread) {
      if (const int error = ::pthread_join(h_.thread_, nullptr))
        throw join_error(error);
      h_.kind_ = join_handle::kind::none;
      return true;
    }
    join_state &state = *h_.state_;
    if (state.done())
      return true;
    if (state.on_this_thread())
      return false;
    state.wait();
    return true;
  }

  // Without a loop running here (blocking mode) nothing could resume the
  // joiner: it stays suspended, which block_on reports as no_event_loop.
  void await_suspend(std::coroutine_handle<> joiner) noexcept {
    if (tls_loop) {
      waiter_ = joiner;
      h_.state_->set_waiter(joiner, tls_loop);
    }
  }

  void await_resume() const noexcept {}

private:
  join_handle &h_;
  std::coroutine_handle<> waiter_;
};

} // namespace detail

inline task<void> join_handle::wait_for(join_handle h) {
  [[maybe_unused]] bool gcc12_frame = true; // g++ 12.2 wants a local
  co_await detail::join_awaiter(h);
}

// Starts t concurrently and returns at once: on the loop running on this
// thread (after the calling task suspends), else on a new thread which runs
// it with block_on. Throws os_error if no thread can be created.
// Discarding the handle detaches.
template <class T> join_handle spawn(task<T> t) {
  detail::event_loop *loop = detail::tls_loop;
  if (!loop)
    return join_handle(detail::spawn_thread(std::move(t)));
  const detail::detached d = detail::detach(std::move(t));
  detail::join_state *state;
  try {
    state = new detail::join_state;
  } catch (...) {
    d.handle.destroy();
    throw;
  }
  join_handle handle(*state);
  d.handle.promise().attach(*loop, *state);
  try {
    loop->post(d.handle);
  } catch (...) {
    d.handle.destroy(); // it never ran: unlinks it, drops its share
    throw;
  }
  return handle;
}

namespace detail {
// Owns the callable and the arguments for as long as the task runs: a
// coroutine lambda reaches its captures through the closure object, which
// must outlive it (a temporary closure would dangle).
template <class M> struct member_class;
template <class R, class C> struct member_class<R C::*> {
  using type = C;
};

// Obj is a std::reference_wrapper (or alike) of a Class.
template <class Class, class Obj> constexpr bool wraps = false;
template <class Class, class Obj>
  requires requires(Obj &o) { o.get(); }
constexpr bool wraps<Class, Obj> = std::is_base_of_v<
    Class, std::remove_cvref_t<decltype(std::declval<Obj &>().get())>>;

// (obj.*f)(args...) for a member function pointer, as std::invoke does it
// (without <functional>, which is heavy to parse): obj is the object, a
// std::reference_wrapper of it (get()), a pointer to it, or anything that
// dereferences to it (a smart pointer).
template <class F, class Obj, class... A>
decltype(auto) invoke_member(F f, Obj &&obj, A &&...args) {
  using Class = typename member_class<F>::type;
  if constexpr (std::is_base_of_v<Class, std::remove_cvref_t<Obj>>)
    return (obj.*f)(std::forward<A>(args)...);
  else if constexpr (wraps<Class, Obj>)
    return (obj.get().*f)(std::forward<A>(args)...);
  else
    return ((*obj).*f)(std::forward<A>(args)...);
}

// The arguments are passed as rvalues, as std::thread passes its copies:
// each is used once, and move-only ones (a std::unique_ptr) work. Where f
// takes one by non-const lvalue reference, which no rvalue binds, they are
// passed as lvalues instead, as std::bind passes its copies: that is the
// thread `std::thread{std::bind(&session, std::move(sock))}` of a
// `session(socket &)`, and the copies live in this frame until the task
// ends.
template <class F, class... A> task<void> invoke_owned(F f, A... args) {
  constexpr bool as_rvalues = std::is_invocable_v<F &, A &&...>;
  if constexpr (std::is_member_function_pointer_v<F> && as_rvalues)
    co_await invoke_member(f, std::move(args)...);
  else if constexpr (std::is_member_function_pointer_v<F>)
    co_await invoke_member(f, args...);
  else if constexpr (as_rvalues)
    co_await f(std::move(args)...);
  else
    co_await f(args...);
}
} // namespace detail

// spawn(f, args...) is what `std::thread t(f, args...)` becomes (and,
// discarded, `std::thread(f, args...).detach()`): f and args are
// decay-copied into the task, as the thread copied them, and the task
// f(args...) returns is started as by spawn(task). As with std::thread, f
// may be a member function pointer whose first argument is the object
// (`spawn(&server::serve_async, this, fd)`); as with std::bind, f may take
// an argument by non-const lvalue reference: it gets the task's copy.
template <class F, class... A>
  requires(std::is_invocable_v<std::decay_t<F> &, std::decay_t<A>...> ||
           std::is_invocable_v<std::decay_t<F> &, std::decay_t<A> &...>)
join_handle spawn(F &&f, A &&...args) {
  return spawn(detail::invoke_owned<std::decay_t<F>, std::decay_t<A>...>(
      std::forward<F>(f), std::forward<A>(args)...));
}

// Runs t and everything it spawns, then returns t's result or rethrows its
// exception. Async mode: one event loop on this thread serves them all.
// Blocking mode: t runs as with block_on, then run waits for the threads
// it spawned, and the threads they spawned, to finish (even when t threw).
template <class T> T run(task<T> t) {
  if (detail::tls_loop || current_io_mode() == io_mode::async)
    return detail::run_on_loop(std::move(t));
  detail::spawn_scope scope;
  return block_on(std::move(t));
}

} // namespace vinyl
