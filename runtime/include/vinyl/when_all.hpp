// vinyl::when_all: await several tasks that run concurrently.
//
// Each task is started by a small child coroutine that resumes the awaiting
// coroutine once the last of them finished; the results stay in the tasks'
// own promises until then and are taken in argument order, so the first
// exception in argument order is the one rethrown (after every task
// finished). In blocking mode each task runs to completion as it is started,
// one after the other, which is what the same code did before conversion.
#pragma once

#include <vinyl/frame_allocator.hpp>
#include <vinyl/task.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>

namespace vinyl {

// Stands for the result of a task<void> among when_all's results.
struct unit {
  friend bool operator==(unit, unit) noexcept { return true; }
};

template <class T>
using when_all_result_t = std::conditional_t<std::is_void_v<T>, unit, T>;

namespace detail {

struct when_all_counter {
  std::size_t pending;
  std::coroutine_handle<> parent;
};

// Runs one task to its end, leaving its result in the task, then counts down.
class when_all_child {
public:
  class promise_type : public recycled_frame {
  public:
    when_all_child get_return_object() noexcept {
      return when_all_child(
          std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    auto final_suspend() const noexcept {
      struct count_down {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<>
        await_suspend(std::coroutine_handle<promise_type> self) const noexcept {
          when_all_counter &c = *self.promise().counter;
          if (--c.pending == 0)
            return c.parent;
          return std::noop_coroutine();
        }
        void await_resume() const noexcept {}
      };
      return count_down{};
    }
    void return_void() const noexcept {}
    // The body only starts a task, whose own promise keeps its exception.
    [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }

    when_all_counter *counter = nullptr;
  };

  when_all_child() = default;
  when_all_child(when_all_child &&other) noexcept
      : handle_(other.handle_) {
    other.handle_ = {};
  }
  when_all_child &operator=(when_all_child &&other) noexcept {
    const std::coroutine_handle<promise_type> old = handle_;
    handle_ = other.handle_;
    other.handle_ = old;
    return *this;
  }
  ~when_all_child() {
    if (handle_)
      handle_.destroy();
  }

  void start(when_all_counter &counter) const {
    handle_.promise().counter = &counter;
    handle_.resume();
  }

private:
  explicit when_all_child(std::coroutine_handle<promise_type> h) noexcept
      : handle_(h) {}

  std::coroutine_handle<promise_type> handle_;
};

// Resumes the task and comes back when it finished, without taking its
// result.
template <class T> struct run_to_end {
  std::coroutine_handle<promise<T>> task;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<>
  await_suspend(std::coroutine_handle<> self) const noexcept {
    task.promise().continuation_ = self;
    return task;
  }
  void await_resume() const noexcept {}
};

template <class T> when_all_child make_when_all_child(const task<T> &t) {
  [[maybe_unused]] bool gcc12_frame = true; // g++ 12.2 wants a local
  co_await run_to_end<T>{task_access::handle(t)};
}

// Starts every child; suspends the awaiting coroutine unless all finished
// while being started. The counter starts one above the number of children,
// so none of them can resume the parent before this has suspended it.
struct start_children {
  when_all_counter &counter;
  const when_all_child *children;
  std::size_t count;

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> parent) const {
    counter.pending = count + 1;
    counter.parent = parent;
    for (std::size_t i = 0; i != count; ++i)
      children[i].start(counter);
    return --counter.pending != 0;
  }
  void await_resume() const noexcept {}
};

template <class T> when_all_result_t<T> take_result(const task<T> &t) {
  if constexpr (std::is_void_v<T>) {
    task_access::handle(t).promise().result();
    return unit{};
  } else {
    return task_access::handle(t).promise().result();
  }
}

} // namespace detail

// Awaits all the tasks, running concurrently, and yields their results
// (unit for task<void>) as a tuple in argument order.
template <class... Ts>
task<std::tuple<when_all_result_t<Ts>...>> when_all(task<Ts>... tasks) {
  if constexpr (sizeof...(Ts) != 0) {
    detail::when_all_counter counter{};
    const detail::when_all_child children[] = {
        detail::make_when_all_child(tasks)...};
    co_await detail::start_children{counter, children, sizeof...(Ts)};
  }
  co_return std::tuple<when_all_result_t<Ts>...>{detail::take_result(tasks)...};
}

// The same for any number of tasks of one type, in a std::vector (or another
// sequence container with size, reserve, push_back and iteration); yields
// the results in a container of the same kind. Written for any such
// container so that this header need not include <vector>.
template <template <class...> class Sequence, class T, class... Rest>
  requires requires(Sequence<when_all_result_t<T>> &results, std::size_t n) {
    results.reserve(n);
  }
task<Sequence<when_all_result_t<T>>>
when_all(Sequence<task<T>, Rest...> tasks) {
  struct child_array {
    detail::when_all_child *children;
    ~child_array() { delete[] children; }
  } owner{new detail::when_all_child[tasks.size()]};
  std::size_t count = 0;
  for (const task<T> &t : tasks)
    owner.children[count++] = detail::make_when_all_child(t);
  detail::when_all_counter counter{};
  co_await detail::start_children{counter, owner.children, count};
  Sequence<when_all_result_t<T>> results;
  results.reserve(count);
  for (const task<T> &t : tasks)
    results.push_back(detail::take_result(t));
  co_return results;
}

} // namespace vinyl
