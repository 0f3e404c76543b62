// vinyl::spawn and vinyl::run: concurrent tasks.
//
// spawn is what converted thread-per-connection code calls where it started a
// thread. On a running event loop the task becomes one more task of that
// loop; elsewhere (blocking mode, or no loop on this thread) it gets a thread
// of its own, so the program keeps its meaning in both modes. Like a
// std::thread function, a spawned task that lets an exception escape
// terminates the program.
//
// Threads come from pthread_create rather than std::thread: <thread> would
// add a third of a second to the parse of every converted file.
#pragma once

#include <vinyl/block_on.hpp>
#include <vinyl/frame_allocator.hpp>
#include <vinyl/task.hpp>

#include <coroutine>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <pthread.h>

namespace vinyl {
namespace detail {

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
    void return_void() const noexcept {}
    [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }

    ~promise_type() {
      if (loop_)
        loop_->release(link_);
    }

    void attach(event_loop &loop) noexcept {
      loop_ = &loop;
      link_.frame = std::coroutine_handle<promise_type>::from_promise(*this);
      loop.adopt(link_);
    }

  private:
    event_loop *loop_ = nullptr;
    detached_link link_;
  };

  std::coroutine_handle<promise_type> handle;

private:
  explicit detached(std::coroutine_handle<promise_type> h) noexcept
      : handle(h) {}
};

template <class T> detached detach(task<T> t) {
  // The result of a spawned task is dropped, as a thread function's is.
  [[maybe_unused]] bool gcc12_frame = true; // g++ 12.2 wants a local
  co_await std::move(t);
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

template <class T> void spawn_thread(task<T> t) {
  // A bad VINYL_IO is reported here rather than by the thread's block_on,
  // where it could only terminate.
  (void)current_io_mode();
  spawn_group *group = tls_spawn_group;
  auto *start = new thread_start<T>{std::move(t), group};
  pthread_attr_t attr;
  ::pthread_attr_init(&attr);
  ::pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (group)
    group->add();
  pthread_t thread;
  const int error =
      ::pthread_create(&thread, &attr, &spawned_thread_main<T>, start);
  ::pthread_attr_destroy(&attr);
  if (error == 0)
    return;
  if (group)
    group->done();
  delete start;
  char message[128];
  std::snprintf(message, sizeof message, "vinyl::spawn: %s",
                std::strerror(error));
  throw std::runtime_error(message);
}

// Makes a group the one this thread's spawns join, and waits for it.
class spawn_scope {
public:
  spawn_scope() noexcept : outer_(std::exchange(tls_spawn_group, &group_)) {}
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

} // namespace detail

// Starts t concurrently and returns at once: on the loop running on this
// thread (after the calling task suspends), else on a new thread which runs
// it with block_on. Throws std::runtime_error if no thread can be created.
template <class T> void spawn(task<T> t) {
  detail::event_loop *loop = detail::tls_loop;
  if (!loop) {
    detail::spawn_thread(std::move(t));
    return;
  }
  const detail::detached d = detail::detach(std::move(t));
  d.handle.promise().attach(*loop);
  loop->post(d.handle);
}

namespace detail {
// Owns the callable and the arguments for as long as the task runs: a
// coroutine lambda reaches its captures through the closure object, which
// must outlive it (a temporary closure would dangle).
template <class F, class... A> task<void> invoke_owned(F f, A... args) {
  co_await f(args...);
}
} // namespace detail

// spawn(f, args...) is what `std::thread(f, args...).detach()` becomes: f
// and args are decay-copied into the task, as the thread copied them, and
// the task f(args...) returns is started as by spawn(task).
template <class F, class... A>
  requires std::is_invocable_v<std::decay_t<F> &, std::decay_t<A> &...>
void spawn(F &&f, A &&...args) {
  spawn(detail::invoke_owned<std::decay_t<F>, std::decay_t<A>...>(
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
