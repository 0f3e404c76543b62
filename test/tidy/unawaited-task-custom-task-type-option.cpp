// TaskTypes names the task types of another coroutine library; vinyl::task
// is then not checked unless listed too.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-unawaited-task %t.cpp --config="{CheckOptions: {vinyl-unawaited-task.TaskTypes: 'mylib::Task'}}"
// RUN: %compile-both %t.cpp

#include <coroutine>
#include <vinyl/vinyl.hpp>

namespace mylib {
struct [[nodiscard]] Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
} // namespace mylib

mylib::Task work() { co_return; }
vinyl::task<> other() { co_return; }

mylib::Task run() {
  work();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the task returned by 'work' is discarded without being awaited, so it never runs [vinyl-unawaited-task]
  // CHECK-FIXES: co_await work();
  (void)other;
  co_return;
}
