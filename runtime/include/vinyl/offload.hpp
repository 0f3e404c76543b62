// vinyl::offload: a blocking call with no non-blocking form (SQLite,
// getaddrinfo, fsync, open on a slow disk) that does not block the loop.
//
// `co_await vinyl::offload(f, args...)` yields f(args...), and leaves errno
// as the call left it. Blocking mode (no loop on this thread): the call is
// made right there, in await_resume, as the plain call would be. Async mode:
// a worker thread of a bounded pool makes it, while the task is suspended and
// the loop runs other tasks; the worker hands the finished call back to the
// task's own loop (a lock-free list and an eventfd), which resumes the task
// on its thread. An exception f throws comes out of the co_await.
//
// The arguments are copied (decayed), as std::thread copies them: the call
// may run after the full-expression that started it. Pass pointers, or
// std::ref, for what the call must write to.
//
// Calls through one vinyl::offload_strand run one at a time, in the order
// they were offloaded: for a handle the library does not allow two threads
// to use at once (an SQLite connection in multi-thread mode).
#pragma once

#include <vinyl/error.hpp>
#include <vinyl/event_loop.hpp>

#include <cerrno>
#include <coroutine>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>

namespace vinyl {

class offload_strand;

namespace detail {

inline unsigned offload_threads_setting = 0; // 0: not set from code

// VINYL_OFFLOAD_THREADS, or what set_offload_threads stored; 8 by default:
// the calls offloaded wait on disks and networks rather than use the CPU.
inline unsigned offload_threads() {
  if (unsigned n = __atomic_load_n(&offload_threads_setting, __ATOMIC_RELAXED))
    return n;
  const char *value = std::getenv("VINYL_OFFLOAD_THREADS");
  if (!value || !*value)
    return 8;
  char *end = nullptr;
  const unsigned long n = std::strtoul(value, &end, 10);
  if (*end != '\0' || n == 0 || n > 1024)
    throw invalid_setting("VINYL_OFFLOAD_THREADS", value,
                          "a number of threads from 1 to 1024");
  return static_cast<unsigned>(n);
}

// A FIFO of jobs linked through next, for the pool and the strands; the
// owner's lock is held. head is stored atomically: the pool's spinning
// worker reads it without the lock (has_work).
class job_queue {
public:
  bool empty() const noexcept { return !head_; }
  bool has_work() const noexcept {
    return __atomic_load_n(&head_, __ATOMIC_ACQUIRE) != nullptr;
  }

  void push(offload_job &job) noexcept {
    job.next = nullptr;
    if (tail_)
      tail_->next = &job;
    else
      __atomic_store_n(&head_, &job, __ATOMIC_RELEASE);
    tail_ = &job;
  }

  // nullptr when empty.
  offload_job *pop() noexcept {
    offload_job *job = head_;
    if (!job)
      return nullptr;
    __atomic_store_n(&head_, job->next, __ATOMIC_RELAXED);
    if (!head_)
      tail_ = nullptr;
    return job;
  }

  void clear() noexcept {
    __atomic_store_n(&head_, nullptr, __ATOMIC_RELAXED);
    tail_ = nullptr;
  }

private:
  offload_job *head_ = nullptr;
  offload_job *tail_ = nullptr;
};

// The worker threads, started one at a time as calls find no idle worker,
// up to offload_threads(); joined when the program exits.
class offload_pool {
public:
  static offload_pool &instance() {
    static offload_pool pool;
    return pool;
  }

  offload_pool(const offload_pool &) = delete;
  offload_pool &operator=(const offload_pool &) = delete;

  ~offload_pool() {
    ::pthread_mutex_lock(&mutex_);
    stopping_ = true;
    ::pthread_cond_broadcast(&wake_);
    ::pthread_mutex_unlock(&mutex_);
    for (unsigned i = 0; i != started_; ++i)
      ::pthread_join(threads_[i], nullptr);
    std::free(threads_);
  }

  // FIFO. Throws os_error when no worker exists and none can be started.
  void enqueue(offload_job &job) {
    ::pthread_mutex_lock(&mutex_);
    queue_.push(job);
    ++queued_;
    int error = 0;
    if (queued_ > idle_ && started_ < limit_)
      error = start_worker();
    const bool no_worker = started_ == 0;
    if (no_worker) {
      queue_.clear();
      queued_ = 0;
    } else if (sleepers_ != 0 && queued_ > spinners_) {
      // A spinning worker takes the call without a wake-up.
      ::pthread_cond_signal(&wake_);
    }
    ::pthread_mutex_unlock(&mutex_);
    if (no_worker)
      throw os_error("vinyl::offload: cannot start a worker thread", error);
  }

private:
  // The pool's lock is held across a fork, so the child's copy of the
  // queue is consistent; the child has none of the workers.
  offload_pool() : limit_(offload_threads()) {
    ::pthread_atfork(
        [] { ::pthread_mutex_lock(&instance().mutex_); },
        [] { ::pthread_mutex_unlock(&instance().mutex_); },
        [] {
          offload_pool &pool = instance();
          pool.forget_parent_threads();
          ::pthread_mutex_unlock(&pool.mutex_);
        });
  }

  int start_worker() {
    if (!threads_) {
      threads_ = static_cast<pthread_t *>(
          std::malloc(limit_ * sizeof(pthread_t)));
      if (!threads_)
        return ENOMEM;
    }
    // Workers take no signals meant for the program's threads.
    sigset_t all, old;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old);
    const int error =
        ::pthread_create(&threads_[started_], nullptr, worker_main, this);
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (error == 0)
      ++started_;
    return error;
  }

  // A forked child has none of its parent's threads.
  void forget_parent_threads() noexcept {
    started_ = 0;
    idle_ = 0;
    spinners_ = 0;
    sleepers_ = 0;
    queue_.clear();
    queued_ = 0;
  }

  static void *worker_main(void *self) {
    static_cast<offload_pool *>(self)->work();
    return nullptr;
  }

  void work() noexcept {
    ::pthread_mutex_lock(&mutex_);
    for (;;) {
      while (queue_.empty() && !stopping_) {
        // A task's next call often follows its last within microseconds:
        // one idle worker looks for it a little before sleeping (more
        // would only fight over the lock). Counted as idle, so that a call
        // meanwhile does not start another worker.
        ++idle_;
        if (spinners_ == 0) {
          ++spinners_;
          ::pthread_mutex_unlock(&mutex_);
          spin_briefly([&] { return queue_.has_work(); });
          ::pthread_mutex_lock(&mutex_);
          --spinners_;
        }
        if (queue_.empty() && !stopping_) {
          ++sleepers_;
          ::pthread_cond_wait(&wake_, &mutex_);
          --sleepers_;
        }
        --idle_;
      }
      offload_job *job = queue_.pop();
      if (!job)
        break;
      --queued_;
      ::pthread_mutex_unlock(&mutex_);
      // The job belongs to its loop from the moment run hands it back.
      job->run(*job);
      ::pthread_mutex_lock(&mutex_);
    }
    ::pthread_mutex_unlock(&mutex_);
  }

  // Adaptive: held for a few instructions, so a contender spins a little
  // before it sleeps on the futex.
  pthread_mutex_t mutex_ = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
  pthread_cond_t wake_ = PTHREAD_COND_INITIALIZER;
  job_queue queue_;
  std::size_t queued_ = 0;
  unsigned idle_ = 0;     // waiting for a call: spinning or asleep
  unsigned spinners_ = 0; // at most one
  unsigned sleepers_ = 0;
  unsigned started_ = 0;
  unsigned limit_;
  pthread_t *threads_ = nullptr;
  bool stopping_ = false;
};

// Decayed copies of a call's arguments, without <tuple>.
template <std::size_t I, class T> struct arg_slot {
  T value;
};

template <class Indices, class... T> struct arg_pack;

template <std::size_t... I, class... T>
struct arg_pack<std::index_sequence<I...>, T...> : arg_slot<I, T>... {
  template <class F> decltype(auto) apply(F &f) {
    return f(static_cast<T &&>(static_cast<arg_slot<I, T> &>(*this).value)...);
  }
};

// Where the worker leaves the call's value.
template <class R> class offload_result {
public:
  offload_result() noexcept {}
  offload_result(const offload_result &) = delete;
  offload_result &operator=(const offload_result &) = delete;
  ~offload_result() {
    if (full_)
      value_.~R();
  }
  template <class Call> void fill(Call &&call) {
    ::new (static_cast<void *>(&value_)) R(call());
    full_ = true;
  }
  R take() { return static_cast<R &&>(value_); }

private:
  union {
    R value_;
  };
  bool full_ = false;
};

template <class R> class offload_result<R &> {
public:
  template <class Call> void fill(Call &&call) { value_ = &call(); }
  R &take() noexcept { return *value_; }

private:
  R *value_ = nullptr;
};

template <> class offload_result<void> {
public:
  template <class Call> void fill(Call &&call) { call(); }
  void take() noexcept {}
};

} // namespace detail

// Calls offloaded through one strand run one at a time, in the order they
// were offloaded (each on some worker thread). It must outlive the calls
// made through it; a member of the object that owns the handle does.
class offload_strand {
public:
  offload_strand() noexcept {
    runner_.run = &run_queue;
    runner_.context = this;
  }
  offload_strand(const offload_strand &) = delete;
  offload_strand &operator=(const offload_strand &) = delete;
  // Waits until the worker running the strand's calls has let go of it:
  // its last call may resume (and end) the strand's owner before that.
  ~offload_strand() {
    ::pthread_mutex_lock(&mutex_);
    while (running_)
      ::pthread_cond_wait(&idle_, &mutex_);
    ::pthread_mutex_unlock(&mutex_);
    ::pthread_cond_destroy(&idle_);
    ::pthread_mutex_destroy(&mutex_);
  }

  // Queues job; the first job of an idle strand sends the strand to the
  // pool, whose worker then runs the strand's jobs until none is left.
  void enqueue(detail::offload_job &job) {
    ::pthread_mutex_lock(&mutex_);
    queue_.push(job);
    const bool start = !running_;
    running_ = true;
    ::pthread_mutex_unlock(&mutex_);
    if (!start)
      return;
    try {
      detail::offload_pool::instance().enqueue(runner_);
    } catch (...) {
      ::pthread_mutex_lock(&mutex_);
      running_ = false;
      queue_.clear();
      ::pthread_mutex_unlock(&mutex_);
      throw;
    }
  }

private:
  static void run_queue(detail::offload_job &runner) noexcept {
    auto &self = *static_cast<offload_strand *>(runner.context);
    for (;;) {
      ::pthread_mutex_lock(&self.mutex_);
      detail::offload_job *job = self.queue_.pop();
      if (!job) {
        self.running_ = false;
        ::pthread_cond_broadcast(&self.idle_);
        ::pthread_mutex_unlock(&self.mutex_);
        return;
      }
      ::pthread_mutex_unlock(&self.mutex_);
      job->run(*job);
    }
  }

  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t idle_ = PTHREAD_COND_INITIALIZER;
  detail::job_queue queue_;
  bool running_ = false;
  detail::offload_job runner_{};
};

namespace detail {

// Makes job (its run and context set) an operation of the loop running on
// this thread, which resumes waiter once a worker hands the job back.
// Throws os_error when the loop cannot hear back (no eventfd).
inline void begin_offload(offload_job &job, operation &op,
                          std::coroutine_handle<> waiter) {
  op.code = op_code::offload;
  op.waiter = waiter.address();
  job.op = &op;
  job.loop = tls_loop;
  tls_loop->submit(op);
}

// Then hands it to the pool, or to strand. When no worker can be started,
// the loop's count is put back and the error rethrown.
inline void hand_to_workers(offload_job &job, offload_strand *strand) {
  try {
    if (strand)
      strand->enqueue(job);
    else
      offload_pool::instance().enqueue(job);
  } catch (...) {
    job.loop->cancel_offload(*job.op);
    throw;
  }
}

} // namespace detail

// The size of the worker pool (VINYL_OFFLOAD_THREADS otherwise, 8 by
// default). Takes effect if set before the first offloaded call of the
// process.
inline void set_offload_threads(unsigned n) noexcept {
  __atomic_store_n(&detail::offload_threads_setting, n, __ATOMIC_RELAXED);
}

template <class F, class... A> class [[nodiscard]] offload_op {
  using args_type =
      detail::arg_pack<std::index_sequence_for<A...>, A...>;
  using result_type = decltype(std::declval<args_type &>().apply(
      std::declval<F &>()));

public:
  template <class G, class... B>
  offload_op(offload_strand *strand, G &&f, B &&...args)
      : f_(static_cast<G &&>(f)), args_{{static_cast<B &&>(args)}...},
        strand_(strand) {}
  offload_op(const offload_op &) = delete;
  offload_op &operator=(const offload_op &) = delete;

  bool await_ready() const noexcept { return !detail::tls_loop; }

  bool await_suspend(std::coroutine_handle<> h) {
    job_.run = &run;
    job_.context = this;
    detail::begin_offload(job_, op_, h);
    detail::hand_to_workers(job_, strand_);
    return true;
  }

  result_type await_resume() {
    if (!detail::tls_loop) [[likely]]
      return args_.apply(f_);
    errno = error_number_;
    if (error_)
      std::rethrow_exception(error_);
    return result_.take();
  }

private:
  // On the worker thread.
  static void run(detail::offload_job &job) noexcept {
    auto &self = *static_cast<offload_op *>(job.context);
    try {
      errno = 0;
      self.result_.fill([&]() -> result_type { return self.args_.apply(self.f_); });
      self.error_number_ = errno;
    } catch (...) {
      self.error_number_ = errno;
      self.error_ = std::current_exception();
    }
    job.loop->post_remote(job);
  }

  F f_;
  args_type args_;
  offload_strand *strand_;
  detail::offload_job job_{};
  detail::operation op_;
  detail::offload_result<result_type> result_;
  std::exception_ptr error_;
  int error_number_ = 0;
};

// co_await vinyl::offload(f, args...): f(args...) on a worker thread in
// async mode, right here in blocking mode.
template <class F, class... A>
offload_op<std::decay_t<F>, std::decay_t<A>...> offload(F &&f, A &&...args) {
  return {nullptr, static_cast<F &&>(f), static_cast<A &&>(args)...};
}

// The same, after the calls offloaded through `strand` before it.
template <class F, class... A>
offload_op<std::decay_t<F>, std::decay_t<A>...>
offload(offload_strand &strand, F &&f, A &&...args) {
  return {&strand, static_cast<F &&>(f), static_cast<A &&>(args)...};
}

namespace io {

// getaddrinfo(3) has no non-blocking form: it is offloaded. Its value (0 or
// an EAI_ code) and errno (for EAI_SYSTEM) are the call's.
inline auto getaddrinfo(const char *node, const char *service,
                        const addrinfo *hints, addrinfo **res) {
  return offload(::getaddrinfo, node, service, hints, res);
}

} // namespace io
} // namespace vinyl
