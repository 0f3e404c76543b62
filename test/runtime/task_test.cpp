// Tests of vinyl::task and vinyl::block_on: results of every kind, exceptions,
// laziness, deep await chains, frames crossing threads, and the loud failure
// of block_on when a coroutine suspends under the blocking backend.
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <coroutine>
#include <cstring>
#include <exception>
#include <type_traits>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

vinyl::task<int> forty_two() { co_return 42; }

vinyl::task<int> add_twice(int x) {
  const int a = co_await forty_two();
  const int b = co_await forty_two();
  co_return a + b + x;
}

TEST(Task, Int) { EXPECT_EQ(vinyl::block_on(add_twice(1)), 85); }

vinyl::task<void> store(int &out, int value) {
  out = value;
  co_return;
}

vinyl::task<void> store_via(int &out) { co_await store(out, 7); }

TEST(Task, Void) {
  int out = 0;
  vinyl::block_on(store_via(out));
  EXPECT_EQ(out, 7);
}

vinyl::task<int &> pick(std::array<int, 2> &pair, int i) { co_return pair[i]; }

vinyl::task<int &> pick_second(std::array<int, 2> &pair) {
  int &r = co_await pick(pair, 1);
  co_return r;
}

TEST(Task, Reference) {
  std::array<int, 2> pair{1, 2};
  int &r = vinyl::block_on(pick_second(pair));
  EXPECT_EQ(&r, &pair[1]);
  r = 5;
  EXPECT_EQ(pair[1], 5);
}

vinyl::task<std::unique_ptr<int>> make_unique_int(int v) {
  auto p = std::make_unique<int>(v);
  co_return p;
}

vinyl::task<std::unique_ptr<int>> forward_unique() {
  std::unique_ptr<int> p = co_await make_unique_int(3);
  *p += 1;
  co_return p;
}

TEST(Task, MoveOnly) {
  std::unique_ptr<int> p = vinyl::block_on(forward_unique());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 4);
}

// Long enough to live on the heap: if the reference dangled into the callee's
// destroyed promise, AddressSanitizer would report the freed buffer.
// A result with a destructor is destroyed exactly once, whether it was
// taken by the awaiter or never taken; one never produced is not destroyed.
struct tracked {
  static inline int live = 0;
  int value;
  explicit tracked(int v) : value(v) { ++live; }
  tracked(const tracked &other) : value(other.value) { ++live; }
  tracked(tracked &&other) noexcept : value(other.value) { ++live; }
  ~tracked() { --live; }
};

vinyl::task<tracked> make_tracked(int v) { co_return tracked(v); }

vinyl::task<int> take_tracked() {
  const tracked t = co_await make_tracked(5);
  {
    vinyl::task<tracked> never_started = make_tracked(6);
  }
  co_return t.value + tracked::live * 100;
}

TEST(Task, ResultWithADestructorIsDestroyedOnce) {
  EXPECT_EQ(vinyl::block_on(take_tracked()), 5 + 100); // only t is alive
  EXPECT_EQ(tracked::live, 0);
  int destroyed = 0;
  auto suspended = [&]() -> vinyl::task<tracked> {
    co_await std::suspend_always{};
    ++destroyed; // never reached
    co_return tracked(7);
  };
  EXPECT_THROW((void)vinyl::block_on(suspended()), vinyl::no_event_loop);
  EXPECT_EQ(tracked::live, 0);
  EXPECT_EQ(destroyed, 0);
}

vinyl::task<std::string> long_string(char c) { co_return std::string(100, c); }

vinyl::task<std::string> concat_bound_refs() {
  const std::string &a = co_await long_string('a');
  // Reuses the recycled frame of the first call.
  const std::string &b = co_await long_string('b');
  co_return a + b;
}

TEST(Task, ConstRefBoundToAwaitDoesNotDangle) {
  EXPECT_EQ(vinyl::block_on(concat_bound_refs()),
            std::string(100, 'a') + std::string(100, 'b'));
}

vinyl::task<int> throws_at(int depth) {
  if (depth == 0)
    throw std::runtime_error("leaf failed");
  co_return co_await throws_at(depth - 1) + 1;
}

vinyl::task<std::string> catches_inside() {
  try {
    co_await throws_at(3);
  } catch (const std::runtime_error &e) {
    co_return std::string("caught: ") + e.what();
  }
  co_return "not reached";
}

TEST(Task, ExceptionsPropagateThroughLevels) {
  EXPECT_EQ(vinyl::block_on(catches_inside()), "caught: leaf failed");
  try {
    (void)vinyl::block_on(throws_at(5));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "leaf failed");
  }
}

vinyl::task<void> void_throws(int &out) {
  co_await store_via(out);
  throw std::logic_error("void failed");
}

TEST(Task, VoidTaskException) {
  int out = 0;
  EXPECT_THROW(vinyl::block_on(void_throws(out)), std::logic_error);
  EXPECT_EQ(out, 7);
}

vinyl::task<long> depth(long n) {
  if (n == 0)
    co_return 0;
  co_return co_await depth(n - 1) + 1;
}

std::uintptr_t native_frame() {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

vinyl::task<std::uintptr_t> innermost_frame(int n) {
  if (n == 0)
    co_return native_frame();
  co_return co_await innermost_frame(n - 1);
}

// Bytes by which the stack grew from an await chain's top to its innermost
// level (the stack grows down; the difference may be slightly negative).
vinyl::task<std::intptr_t> stack_growth(int n) {
  const std::uintptr_t top = native_frame();
  co_return static_cast<std::intptr_t>(top - co_await innermost_frame(n));
}

// Symmetric transfer is a tail call from one coroutine's resume function to
// the next, so the native stack does not grow with the await depth; without
// it each level nests a call and 100000 levels overflow the stack. Measuring
// a short chain first fails cleanly where the compiler emits no tail call
// (g++ needs -foptimize-sibling-calls, which -O2 implies).
TEST(Task, DeepRecursionRunsInConstantStack) {
#if defined(__SANITIZE_ADDRESS__) && !defined(__clang__)
  GTEST_SKIP() << "g++'s AddressSanitizer stack instrumentation keeps it from "
                  "emitting symmetric transfer as a tail call";
#endif
#if defined(__SANITIZE_THREAD__) && !defined(__clang__)
  GTEST_SKIP() << "g++'s ThreadSanitizer instrumentation (__tsan_func_exit "
                  "after the call) keeps it from emitting symmetric transfer "
                  "as a tail call";
#endif
  ASSERT_LT(vinyl::block_on(stack_growth(1000)), 1024)
      << "symmetric transfer was not compiled as a tail call";
  EXPECT_EQ(vinyl::block_on(depth(100000)), 100000);
}

vinyl::task<void> set_flag(bool &flag) {
  flag = true;
  co_return;
}

TEST(Task, IsLazy) {
  bool ran = false;
  vinyl::task<void> t = set_flag(ran);
  EXPECT_FALSE(ran);
  vinyl::block_on(std::move(t));
  EXPECT_TRUE(ran);
}

TEST(Task, DestroyingAnUnstartedTaskSkipsItsBody) {
  bool ran = false;
  { vinyl::task<void> t = set_flag(ran); }
  EXPECT_FALSE(ran);
}

TEST(Task, MoveAssignmentDestroysTheOldFrame) {
  bool first = false, second = false;
  vinyl::task<void> t = set_flag(first);
  t = set_flag(second);
  vinyl::block_on(std::move(t));
  EXPECT_FALSE(first);
  EXPECT_TRUE(second);
}

VINYL_CORO_WRAPPER vinyl::task<int> wrapper() { return add_twice(0); }

TEST(Task, CoroutineWrapper) { EXPECT_EQ(vinyl::block_on(wrapper()), 84); }

// A frame larger than the recycled size classes goes to the heap directly.
vinyl::task<int> big_frame(int i) {
  std::array<char, 8192> buf{};
  buf[static_cast<std::size_t>(i)] = 1;
  co_await forty_two();
  co_return buf[static_cast<std::size_t>(i)] + 1;
}

TEST(Task, LargeFrame) { EXPECT_EQ(vinyl::block_on(big_frame(100)), 2); }

TEST(Task, FrameFreedOnAnotherThread) {
  vinyl::task<int> t = add_twice(0);
  std::thread([&t] { vinyl::task<int> moved = std::move(t); }).join();
  // The other thread's cache took the frame and released it at its exit;
  // this thread keeps allocating and recycling normally.
  EXPECT_EQ(vinyl::block_on(add_twice(0)), 84);
}

TEST(Task, ResultCrossesThreads) {
  vinyl::task<int> t = add_twice(2);
  int result = 0;
  std::thread([&] { result = vinyl::block_on(std::move(t)); }).join();
  EXPECT_EQ(result, 86);
}

struct destroy_counter {
  int &count;
  ~destroy_counter() { ++count; }
};

vinyl::task<int> suspends_forever(int &destroyed) {
  destroy_counter guard{destroyed};
  co_await std::suspend_always{};
  co_return 1;
}

vinyl::task<int> awaits_suspender(int &destroyed) {
  destroy_counter guard{destroyed};
  co_return co_await suspends_forever(destroyed);
}

TEST(BlockOn, FailsLoudlyWhenTheCoroutineSuspends) {
  int destroyed = 0;
  try {
    (void)vinyl::block_on(awaits_suspender(destroyed));
    FAIL() << "expected vinyl::no_event_loop";
  } catch (const vinyl::no_event_loop &e) {
    EXPECT_NE(std::string(e.what()).find("no event loop"), std::string::npos)
        << e.what();
  }
  // Both suspended frames were destroyed, running their locals' destructors.
  EXPECT_EQ(destroyed, 2);
}

// The runtime's exceptions derive from vinyl::error, a std::exception, and
// keep their messages without <stdexcept>.
TEST(BlockOn, NoEventLoopIsAVinylError) {
  int destroyed = 0;
  try {
    (void)vinyl::block_on(suspends_forever(destroyed));
    FAIL() << "expected vinyl::no_event_loop";
  } catch (const vinyl::error &e) {
    EXPECT_STREQ(e.what(),
                 "vinyl::block_on: the coroutine suspended under the blocking "
                 "backend, but no event loop is running to resume it (it "
                 "co_awaited something that was not immediately ready)");
    EXPECT_EQ(e.code(), 0);
  }
  EXPECT_EQ(destroyed, 1);
  static_assert(std::is_base_of_v<std::exception, vinyl::error>);
  static_assert(std::is_base_of_v<vinyl::error, vinyl::no_event_loop>);
  static_assert(std::is_base_of_v<vinyl::error, vinyl::deadlock>);
  static_assert(std::is_base_of_v<vinyl::error, vinyl::invalid_setting>);
  static_assert(std::is_base_of_v<vinyl::error, vinyl::os_error>);
  static_assert(std::is_base_of_v<vinyl::error, vinyl::join_error>);
}

TEST(Error, MessagesAreCutAt255Bytes) {
  const std::string long_text(1000, 'm');
  const vinyl::error e(long_text.c_str(), 7);
  EXPECT_EQ(std::string(e.what()), long_text.substr(0, 255));
  EXPECT_EQ(e.code(), 7);
  const vinyl::error copy = e;
  EXPECT_EQ(std::string(copy.what()), long_text.substr(0, 255));
  const vinyl::os_error os("vinyl::spawn", EAGAIN);
  EXPECT_EQ(std::string(os.what()),
            "vinyl::spawn: " + std::string(std::strerror(EAGAIN)));
  EXPECT_EQ(std::string(vinyl::os_error("", EBADF).what()),
            std::strerror(EBADF));
  EXPECT_STREQ(vinyl::deadlock().what(),
               "vinyl::run: every task is suspended but no I/O is in flight, "
               "so none of them can ever be resumed");
}

} // namespace
