// vinyl::fast_task<T>: a result that is either ready or still a task.
//
// What a converted function returns when every wait in it sits behind one
// cold guard, the refill of a buffer (`fast_paths: true`): the tool splits
// it into a plain function, which returns its value at once when the guard
// is false, and a coroutine overload tagged vinyl::slow_t, the whole
// converted body, which the plain one hands the call to when the guard is
// true. The guard has no side effects, so running the body again from the
// start in the coroutine makes the calls the original made.
//
// `co_await f()` on a ready value is a test and a move, with no coroutine
// frame: what C#'s ValueTask does for the same reason. Both modes take the
// ready path alike; a value is ready only where the original body would not
// have reached any wait, so async mode never skips a real one.
#pragma once

#include <vinyl/task.hpp>

#include <coroutine>
#include <type_traits>
#include <utility>

namespace vinyl {

// The tag of the coroutine half of a split function,
// `task<R> f(vinyl::slow_t, P... p)`. Explicit, so that no argument
// converts to it. A caller split at its waits (rather than at a guard)
// says where its plain half stopped: `f(vinyl::slow_t(2), p...)` starts
// the coroutine half at its second resume point.
struct slow_t {
  explicit slow_t() = default;
  explicit constexpr slow_t(int point) noexcept : at(point) {}
  int at = 0;
};
inline constexpr slow_t slow{};

template <class T = void> class fast_task;

namespace detail {

template <class T> inline constexpr bool is_fast_task = false;
template <class T> inline constexpr bool is_fast_task<fast_task<T>> = true;

// The ready value's storage; which of value, task or nothing (moved from,
// or its task taken) it holds.
template <class T> class fast_state {
protected:
  fast_state() noexcept {}
  ~fast_state() {
    if (handle_)
      handle_.destroy();
    else if (has_value_)
      value_.~T();
  }
  template <class U> void set_value(U &&value) {
    ::new (static_cast<void *>(__builtin_addressof(value_)))
        T(std::forward<U>(value));
    has_value_ = true;
  }
  void move_from(fast_state &other) {
    handle_ = other.handle_;
    other.handle_ = {};
    if (other.has_value_)
      set_value(std::move(other.value_));
  }
  T take() { return handle_ ? handle_.promise().result() : std::move(value_); }

  std::coroutine_handle<promise<T>> handle_;
  union {
    T value_;
  };
  bool has_value_ = false;
};

template <> class fast_state<void> {
protected:
  ~fast_state() {
    if (handle_)
      handle_.destroy();
  }
  void move_from(fast_state &other) noexcept {
    handle_ = other.handle_;
    other.handle_ = {};
  }
  void take() {
    if (handle_)
      handle_.promise().result();
  }

  std::coroutine_handle<promise<void>> handle_;
};

} // namespace detail

// Move-only, like the task it may hold; awaited once, as an rvalue.
template <class T>
class [[nodiscard]] fast_task : private detail::fast_state<T> {
  using state = detail::fast_state<T>;

public:
  using value_type = T;

  // The ready path: `return c;` in the plain half. A template, so that a
  // value converting to T (a string literal for std::string) converts in
  // one step, as it did to the original return type.
  template <class U = T>
    requires(!std::is_void_v<T> && std::is_convertible_v<U &&, T> &&
             !detail::is_fast_task<std::remove_cvref_t<U>> &&
             !detail::is_task<std::remove_cvref_t<U>>)
  fast_task(U &&value) noexcept(std::is_nothrow_constructible_v<T, U &&>) {
    this->set_value(std::forward<U>(value));
  }
  // `return {};` in the plain half of a function returning void.
  fast_task() noexcept
    requires std::is_void_v<T>
  {}
  // The slow path: `return f(vinyl::slow, a);`.
  fast_task(task<T> &&coroutine) noexcept {
    this->handle_ = detail::task_access::release(coroutine);
  }

  fast_task(fast_task &&other) noexcept(
      std::is_void_v<T> || std::is_nothrow_move_constructible_v<T>) {
    this->move_from(other);
  }
  fast_task &operator=(const fast_task &) = delete;

  // Whether the value is here already, with no task to run.
  bool ready() const noexcept { return !this->handle_; }

  auto operator co_await() && noexcept {
    struct awaiter {
      fast_task &self;

      bool await_ready() const noexcept { return !self.handle_; }
#if VINYL_INLINE_AWAIT
      bool await_suspend(std::coroutine_handle<> caller) const noexcept {
        return detail::await_inline(self.handle_, caller);
      }
#else
      std::coroutine_handle<>
      await_suspend(std::coroutine_handle<> caller) const noexcept {
        self.handle_.promise().continuation_ = caller;
        return self.handle_;
      }
#endif
      T await_resume() const { return self.take(); }
    };
    return awaiter{*this};
  }

  // The task to run when not ready(), whose frame then belongs to it.
  task<T> take_task() && noexcept {
    const auto h = this->handle_;
    this->handle_ = {};
    return detail::task_access::adopt(h);
  }
  // The value when ready() (or a task that finished).
  T take_value() && { return this->take(); }
};

// A call in the loop condition of a caller split at its waits, in its
// plain half: `while (peek() == ' ' || peek() == '\t')` becomes a test of
// `ready_or_stop(peek(), stop) == ' ' || ...`. The value when the call is
// ready; otherwise `stop` is set and a value-initialised T stands in for
// it, so that the rest of the condition can be evaluated (only compared,
// by the tool's choice) before the plain half hands the whole loop to the
// coroutine half, which evaluates the condition again. The task that was
// not run is destroyed with `t`: a call that is not ready has done
// nothing.
template <class T>
  requires std::is_scalar_v<T>
T ready_or_stop(fast_task<T> &&t, bool &stop) {
  if (t.ready())
    return std::move(t).take_value();
  stop = true;
  return T();
}

} // namespace vinyl
