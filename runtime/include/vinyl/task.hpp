// vinyl::task<T>: the coroutine type every converted function returns.
//
// A task is lazy: calling the coroutine only allocates its frame, and the body
// runs when the task is co_awaited (or handed to vinyl::block_on). Awaiting
// transfers control symmetrically, caller to callee and back, so a chain of
// nested awaits of any depth runs in constant native stack.
#pragma once

#include <vinyl/frame_allocator.hpp>

#include <coroutine>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

// Clang's coroutine attributes: coro_return_type lets Clang check that
// functions returning a task are coroutines (VINYL_CORO_WRAPPER marks the
// deliberate exceptions); coro_await_elidable lets it place the frame of a
// task co_awaited as a prvalue, whose coroutine is defined in the same
// translation unit, inside the awaiting coroutine's frame. The check is
// opt-in (-DVINYL_CHECK_CORO_RETURN_TYPE): Clang applies it inside the
// standard library too, so std::function<vinyl::task<T>(...)>, which
// converted callback types use, would not compile with it.
#if defined(VINYL_CHECK_CORO_RETURN_TYPE) &&                                   \
    __has_cpp_attribute(clang::coro_return_type)
#define VINYL_CORO_RETURN_TYPE [[clang::coro_return_type]]
#else
#define VINYL_CORO_RETURN_TYPE
#endif
#if __has_cpp_attribute(clang::coro_wrapper)
#define VINYL_CORO_WRAPPER [[clang::coro_wrapper]]
#else
#define VINYL_CORO_WRAPPER
#endif
#if __has_cpp_attribute(clang::coro_await_elidable)
#define VINYL_CORO_AWAIT_ELIDABLE [[clang::coro_await_elidable]]
#else
#define VINYL_CORO_AWAIT_ELIDABLE
#endif

// g++ emits symmetric transfer as a tail call only as its sibling-call
// optimisation (-O2, -foptimize-sibling-calls), and not under its
// sanitizers; without it every resumption nests a call, so a loop that
// awaits tasks which finish at once (blocking mode, a buffered read) grows
// the stack by a few frames per iteration until it overflows. There, a
// task is awaited inline instead: the awaiter resumes it with a plain call
// and, if it has finished when that returns, goes on without suspending,
// which keeps a loop in constant stack (nesting stays as deep as the await
// chain, as the synchronous calls' was).
#if !defined(VINYL_INLINE_AWAIT) && defined(__GNUC__) && !defined(__clang__) && \
    (!defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__) ||                  \
     defined(__SANITIZE_THREAD__))
#define VINYL_INLINE_AWAIT 1
#endif

namespace vinyl {

template <class T = void> class task;

namespace detail {

// How block_on, run and spawn reach the frame a task owns.
struct task_access;

struct final_awaiter {
  bool await_ready() const noexcept { return false; }
  // Resuming the awaiting coroutine from here, instead of returning to it
  // through resume(), is what keeps deep await chains off the stack.
  template <class Promise>
  std::coroutine_handle<>
  await_suspend(std::coroutine_handle<Promise> self) const noexcept {
#if VINYL_INLINE_AWAIT
    // Awaited inline and finished before suspending: back to the awaiter's
    // await_suspend, marked finished.
    if (!self.promise().continuation_) {
      self.promise().continuation_ = std::noop_coroutine();
      return std::noop_coroutine();
    }
#endif
    return self.promise().continuation_;
  }
  void await_resume() const noexcept {}
};

class promise_base : public recycled_frame {
public:
  promise_base() noexcept {}
  promise_base(const promise_base &) = delete;
  promise_base &operator=(const promise_base &) = delete;

  std::suspend_always initial_suspend() const noexcept { return {}; }

  final_awaiter final_suspend() const noexcept { return {}; }

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  // The coroutine to resume when this one finishes, set by whatever starts
  // it: the awaiting coroutine, or noop_coroutine for a top-level task run
  // by block_on or run, which returns to their resume() call. A union so
  // that the ramp of every call leaves it alone rather than storing a value
  // that is always overwritten.
  union {
    std::coroutine_handle<> continuation_;
  };

protected:
  void rethrow_if_failed() const {
    if (exception_)
      std::rethrow_exception(exception_);
  }

private:
  std::exception_ptr exception_;
};

// The value lives in a union rather than a std::optional, whose header
// would cost every converted file parse time for nothing else. A value
// that needs no destructor needs no flag either: nothing to set in the
// ramp or in co_return, nothing to test when the frame is destroyed.
template <class T, bool = std::is_trivially_destructible_v<T>>
class value_slot {
public:
  value_slot() noexcept {}
  value_slot(const value_slot &) = delete;
  value_slot &operator=(const value_slot &) = delete;
  template <class U> void emplace(U &&value) {
    ::new (static_cast<void *>(__builtin_addressof(value_))) T(
        std::forward<U>(value));
  }
  T &get() noexcept { return value_; }

private:
  union {
    T value_;
  };
};

template <class T> class value_slot<T, false> {
public:
  value_slot() noexcept {}
  value_slot(const value_slot &) = delete;
  value_slot &operator=(const value_slot &) = delete;
  ~value_slot() {
    if (has_value_)
      value_.~T();
  }
  template <class U> void emplace(U &&value) {
    ::new (static_cast<void *>(__builtin_addressof(value_))) T(
        std::forward<U>(value));
    has_value_ = true;
  }
  T &get() noexcept { return value_; }

private:
  union {
    T value_;
  };
  bool has_value_ = false;
};

template <class T> class result_slot : public promise_base {
public:
  template <class U = T>
    requires std::is_convertible_v<U &&, T>
  void return_value(U &&value) noexcept(
      std::is_nothrow_constructible_v<T, U &&>) {
    value_.emplace(std::forward<U>(value));
  }

  T result() {
    rethrow_if_failed();
    return std::move(value_.get());
  }

private:
  value_slot<T> value_;
};

template <class T> class result_slot<T &> : public promise_base {
public:
  void return_value(T &value) noexcept { value_ = __builtin_addressof(value); }

  T &result() const {
    rethrow_if_failed();
    return *value_;
  }

private:
  T *value_ = nullptr;
};

template <> class result_slot<void> : public promise_base {
public:
  void return_void() const noexcept {}
  void result() const { rethrow_if_failed(); }
};

template <class T> class promise final : public result_slot<T> {
public:
  task<T> get_return_object() noexcept {
    return task<T>(std::coroutine_handle<promise>::from_promise(*this));
  }
};

struct task_access {
  template <class T>
  static std::coroutine_handle<promise<T>> handle(const task<T> &t) noexcept {
    return t.handle_;
  }
  // The frame, which the caller owns from now on.
  template <class T>
  static std::coroutine_handle<promise<T>> release(task<T> &t) noexcept {
    const std::coroutine_handle<promise<T>> h = t.handle_;
    t.handle_ = {};
    return h;
  }
  template <class T>
  static task<T> adopt(std::coroutine_handle<promise<T>> h) noexcept {
    return task<T>(h);
  }
};

#if VINYL_INLINE_AWAIT
// Runs \p callee with no continuation: if it finishes before it suspends,
// final_awaiter sets one and returns here, and the caller goes on (false);
// if it suspends, the caller does, to be resumed when it finishes.
template <class Promise>
bool await_inline(std::coroutine_handle<Promise> callee,
                  std::coroutine_handle<> caller) noexcept {
  callee.promise().continuation_ = std::coroutine_handle<>();
  callee.resume();
  if (callee.promise().continuation_)
    return false;
  callee.promise().continuation_ = caller;
  return true;
}
#endif

template <class T> inline constexpr bool is_task = false;
template <class T> inline constexpr bool is_task<task<T>> = true;

} // namespace detail

// Owns its coroutine frame; move-only. `co_await f()` starts f, and yields its
// result by value (a reference for task<T&>), so `const T &r = co_await f();`
// binds to a temporary in the caller and never to the destroyed frame.
template <class T>
class [[nodiscard]] VINYL_CORO_RETURN_TYPE VINYL_CORO_AWAIT_ELIDABLE task {
public:
  using promise_type = detail::promise<T>;

  // By hand rather than with std::exchange and std::swap, whose noexcept
  // specifications instantiate traits, which costs parse time per type.
  task(task &&other) noexcept : handle_(other.handle_) { other.handle_ = {}; }

  task &operator=(task other) noexcept {
    const std::coroutine_handle<promise_type> old = handle_;
    handle_ = other.handle_;
    other.handle_ = old;
    return *this;
  }

  ~task() {
    if (handle_)
      handle_.destroy();
  }

  // Rvalue only: awaiting moves the result out, so a task is awaited once.
  auto operator co_await() && noexcept {
    struct awaiter {
      std::coroutine_handle<promise_type> callee;

      bool await_ready() const noexcept { return false; }
#if VINYL_INLINE_AWAIT
      bool await_suspend(std::coroutine_handle<> caller) const noexcept {
        return detail::await_inline(callee, caller);
      }
#else
      std::coroutine_handle<>
      await_suspend(std::coroutine_handle<> caller) const noexcept {
        callee.promise().continuation_ = caller;
        return callee;
      }
#endif
      T await_resume() const { return callee.promise().result(); }
    };
    return awaiter{handle_};
  }

private:
  friend promise_type;
  friend detail::task_access;

  explicit task(std::coroutine_handle<promise_type> handle) noexcept
      : handle_(handle) {}

  std::coroutine_handle<promise_type> handle_;
};

} // namespace vinyl
