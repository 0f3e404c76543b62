// Tests of vinyl::mutex and vinyl::condition_variable (vinyl/sync.hpp): std
// semantics for threads and in blocking mode; in async mode, on each
// backend, a task that waits suspends rather than blocks its thread (another
// task of the loop keeps ticking), the mutex is handed over in FIFO order,
// tasks are woken from plain threads and from other threads' loops without
// a deadlock report, timed waits time out on the loop's timer, and waiters
// destroyed while they wait leave nothing behind.
#include "test_support.hpp"

#include <vinyl/sync.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include <pthread.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using clock_type = std::chrono::steady_clock;
using lock_type = vinyl::unique_lock<vinyl::mutex>;

static_assert(std::is_nothrow_move_constructible_v<lock_type>);
static_assert(!std::is_copy_constructible_v<vinyl::mutex>);
static_assert(sizeof(vinyl::mutex) <= sizeof(std::mutex));

class Sync : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Sync,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class SyncAsync : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, SyncAsync,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// Suspends for good without anything in flight: the loop then reports a
// deadlock, which shows that a waiter that went away left no count behind.
struct suspend_for_good {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

// A coroutine the test starts and destroys by hand, so that it can be
// destroyed while it waits.
struct manual {
  struct promise_type {
    manual get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> h;
};

TEST(SyncThreads, StdLockablesAcrossThreads) {
  vinyl::mutex m;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t != 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i != 20000; ++i) {
        if (t % 2) {
          std::lock_guard<vinyl::mutex> g(m);
          ++counter;
        } else {
          std::unique_lock<vinyl::mutex> g(m);
          ++counter;
        }
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(counter, 80000);
}

TEST(SyncThreads, TryLockAndUniqueLockSemantics) {
  vinyl::mutex m;
  {
    lock_type lk(m);
    EXPECT_TRUE(lk.owns_lock());
    bool other = true;
    std::thread([&] { other = m.try_lock(); }).join();
    EXPECT_FALSE(other);
    EXPECT_THROW(lk.lock(), std::system_error);
    lock_type moved(std::move(lk));
    EXPECT_FALSE(lk.owns_lock());
    EXPECT_EQ(lk.mutex(), nullptr);
    EXPECT_TRUE(moved.owns_lock());
    moved.unlock();
    EXPECT_THROW(moved.unlock(), std::system_error);
    EXPECT_TRUE(moved.try_lock());
    vinyl::mutex *released = moved.release();
    EXPECT_EQ(released, &m);
    EXPECT_FALSE(moved);
    m.unlock();
  }
  lock_type deferred(m, std::defer_lock);
  EXPECT_FALSE(deferred.owns_lock());
  lock_type tried(m, std::try_to_lock);
  EXPECT_TRUE(tried.owns_lock());
  lock_type second(m, std::try_to_lock);
  EXPECT_FALSE(second.owns_lock());
  tried.unlock();
  EXPECT_TRUE(m.try_lock());
  lock_type adopted(m, std::adopt_lock);
  EXPECT_TRUE(adopted.owns_lock());
}

// A plain thread blocked in lock() is handed the mutex by the unlocker.
TEST(SyncThreads, ConditionVariableBetweenPlainThreads) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  int stage = 0;
  std::thread waiter([&] {
    lock_type lk(m);
    vinyl::block_on(cv.wait(lk, [&] { return stage == 1; }));
    stage = 2;
    cv.notify_all();
  });
  {
    std::lock_guard<vinyl::mutex> g(m);
    stage = 1;
  }
  cv.notify_one();
  lock_type lk(m);
  vinyl::block_on(cv.wait(lk, [&] { return stage == 2; }));
  waiter.join();
  EXPECT_EQ(stage, 2);
}

// Tasks (threads in blocking mode) that await inside the critical section:
// a second holder would lose increments.
TEST_P(Sync, CriticalSectionSpansAnAwait) {
  vinyl::mutex m;
  int counter = 0;
  auto bump = [&](int times) -> vinyl::task<void> {
    for (int i = 0; i != times; ++i) {
      auto lk = co_await vinyl::scoped_lock(m);
      const int seen = counter;
      co_await vinyl::io::usleep(200);
      counter = seen + 1;
    }
  };
  auto body = [&]() -> vinyl::task<void> {
    for (int t = 0; t != 4; ++t)
      vinyl::spawn(bump, 10);
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(counter, 40);
}

// vinyl::unique_lock is std::unique_lock; vinyl::lock_async(lk) locks it
// again from a task.
TEST_P(Sync, UniqueLockRelocksAsync) {
  vinyl::mutex m;
  auto body = [&]() -> vinyl::task<void> {
    lock_type lk = co_await vinyl::scoped_lock(m);
    EXPECT_TRUE(lk.owns_lock());
    lk.unlock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
    co_await vinyl::lock_async(lk);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock());
    EXPECT_THROW((void)vinyl::lock_async(lk), std::system_error);
    lock_type empty;
    EXPECT_THROW((void)vinyl::lock_async(empty), std::system_error);
  };
  vinyl::block_on(body());
  EXPECT_TRUE(m.try_lock());
}

// Blocking mode: co_await lock_async() is a plain lock (it blocks the
// thread until the other one lets go).
TEST_P(Sync, LockAsyncWaitsForAThread) {
  vinyl::mutex m;
  std::atomic<bool> held{false};
  std::thread holder([&] {
    m.lock();
    held = true;
    std::this_thread::sleep_for(20ms);
    m.unlock();
  });
  while (!held)
    std::this_thread::yield();
  auto body = [&]() -> vinyl::task<clock_type::duration> {
    const auto start = clock_type::now();
    co_await m.lock_async();
    const auto waited = clock_type::now() - start;
    m.unlock();
    co_return waited;
  };
  const auto waited = vinyl::block_on(body());
  holder.join();
  EXPECT_GE(waited, 10ms);
}

TEST_P(Sync, WaitForTimesOut) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  bool done = false;
  int ticks = 0;
  auto waiter = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    const auto start = clock_type::now();
    const std::cv_status status = co_await cv.wait_for(lk, 30ms);
    EXPECT_EQ(status, std::cv_status::timeout);
    EXPECT_GE(clock_type::now() - start, 30ms);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock());
    const bool met = co_await cv.wait_for(lk, 5ms, [] { return false; });
    EXPECT_FALSE(met);
    const auto until = co_await cv.wait_until(lk, clock_type::now() + 1ms);
    EXPECT_EQ(until, std::cv_status::timeout);
    done = true;
  };
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(waiter);
    if (async())
      co_await tick_until(done, 1ms, [&] { ++ticks; });
  };
  vinyl::run(body());
  EXPECT_TRUE(done);
  // The loop ran the ticker while the task waited for its timeout.
  if (async()) {
    EXPECT_GE(ticks, 5);
  }
}

TEST_P(Sync, PredicateWaitSeesEveryStep) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  int value = 0;
  std::vector<int> seen;
  auto consumer = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    co_await cv.wait(lk, [&] {
      seen.push_back(value);
      return value == 3;
    });
    EXPECT_EQ(value, 3);
  };
  auto producer = [&]() -> vinyl::task<void> {
    for (int i = 1; i <= 3; ++i) {
      co_await vinyl::io::sleep_for(2ms);
      {
        auto lk = co_await vinyl::scoped_lock(m);
        value = i;
      }
      cv.notify_one();
    }
  };
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(consumer);
    vinyl::spawn(producer);
    co_return;
  };
  vinyl::run(body());
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), 3);
}

TEST_P(Sync, NotifyAllWakesAll) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  int waiting = 0, woken = 0;
  bool go = false;
  auto waiter = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    ++waiting;
    cv.notify_all(); // the releaser waits for all to wait
    co_await cv.wait(lk, [&] { return go; });
    ++woken;
  };
  auto releaser = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    co_await cv.wait(lk, [&] { return waiting == 5; });
    go = true;
    cv.notify_all();
  };
  auto body = [&]() -> vinyl::task<void> {
    for (int i = 0; i != 5; ++i)
      vinyl::spawn(waiter);
    vinyl::spawn(releaser);
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(woken, 5);
}

TEST_P(Sync, TimedWaitNotifiedBeforeTheTimeout) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  bool ready = false;
  std::thread notifier([&] {
    std::this_thread::sleep_for(10ms);
    {
      std::lock_guard<vinyl::mutex> g(m);
      ready = true;
    }
    cv.notify_one();
  });
  auto body = [&]() -> vinyl::task<bool> {
    auto lk = co_await vinyl::scoped_lock(m);
    co_return co_await cv.wait_for(lk, 10s, [&] { return ready; });
  };
  const auto start = clock_type::now();
  EXPECT_TRUE(vinyl::block_on(body()));
  EXPECT_LT(clock_type::now() - start, 5s);
  notifier.join();
}

// A third task keeps running while one task holds the mutex across a sleep
// and another waits for it: the thread is never blocked.
TEST_P(SyncAsync, OtherTasksRunWhileOneWaits) {
  vinyl::mutex m;
  bool done = false;
  int ticks_while_waiting = 0, ticks = 0;
  const pthread_t self = ::pthread_self();
  auto holder = [&]() -> vinyl::task<void> {
    co_await m.lock_async();
    co_await vinyl::io::sleep_for(30ms);
    m.unlock();
  };
  auto waiter = [&]() -> vinyl::task<void> {
    const int before = ticks;
    co_await m.lock_async();
    ticks_while_waiting = ticks - before;
    EXPECT_TRUE(::pthread_equal(self, ::pthread_self()));
    m.unlock();
    done = true;
  };
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(holder);
    vinyl::spawn(waiter);
    co_await tick_until(done, 1ms, [&] { ++ticks; });
  };
  vinyl::run(body());
  EXPECT_TRUE(done);
  EXPECT_GE(ticks_while_waiting, 5);
}

TEST_P(SyncAsync, HandOffIsFifo) {
  vinyl::mutex m;
  std::vector<int> order;
  auto contender = [&](int id) -> vinyl::task<void> {
    co_await m.lock_async();
    order.push_back(id);
    co_await vinyl::io::sleep_for(1ms);
    m.unlock();
  };
  auto body = [&]() -> vinyl::task<void> {
    co_await m.lock_async();
    for (int i = 0; i != 5; ++i)
      vinyl::spawn(contender, i);
    co_await vinyl::io::sleep_for(5ms); // all of them queue up
    order.push_back(-1);
    m.unlock();
  };
  vinyl::run(body());
  EXPECT_EQ(order, (std::vector<int>{-1, 0, 1, 2, 3, 4}));
}

// A plain thread holds the mutex, then lets go: the waiting task resumes,
// and its loop, with nothing else to do, waited instead of reporting a
// deadlock. Then the other way round: the thread waits for the task.
TEST_P(SyncAsync, PlainThreadAndTaskHandOver) {
  vinyl::mutex m;
  std::atomic<int> stage{0};
  std::thread other([&] {
    m.lock();
    stage = 1;
    std::this_thread::sleep_for(20ms);
    m.unlock();
    while (stage != 2)
      std::this_thread::yield();
    m.lock(); // held by the task now: blocks until it lets go
    stage = 3;
    m.unlock();
  });
  auto body = [&]() -> vinyl::task<int> {
    while (stage != 1)
      co_await vinyl::io::sleep_for(1ms);
    co_await m.lock_async();
    stage = 2;
    co_await vinyl::io::sleep_for(10ms);
    const int seen = stage;
    m.unlock();
    co_return seen;
  };
  EXPECT_EQ(vinyl::block_on(body()), 2);
  other.join();
  EXPECT_EQ(stage, 3);
}

// Tasks on the loops of two threads contend: each hand-off to the other
// loop goes through its inbox.
TEST_P(SyncAsync, TasksOnTwoLoopsContend) {
  vinyl::mutex m;
  int counter = 0;
  auto bump = [&]() -> vinyl::task<void> {
    for (int i = 0; i != 30; ++i) {
      auto lk = co_await vinyl::scoped_lock(m);
      const int seen = counter;
      co_await vinyl::io::usleep(50);
      counter = seen + 1;
    }
  };
  auto loop = [&]() -> vinyl::task<void> {
    for (int t = 0; t != 3; ++t)
      vinyl::spawn(bump);
    co_return;
  };
  const vinyl::io_backend backend = GetParam().backend;
  std::thread other([&] {
    vinyl::set_io_backend(backend);
    vinyl::run(loop());
  });
  vinyl::run(loop());
  other.join();
  EXPECT_EQ(counter, 180);
}

// A producer thread feeds a task through the condition variable; the task
// waits with nothing in flight on its loop but that wait.
TEST_P(SyncAsync, ProducerThreadWakesWaitingTask) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  std::vector<int> queue;
  std::thread producer([&] {
    for (int i = 0; i != 5; ++i) {
      std::this_thread::sleep_for(2ms);
      {
        std::lock_guard<vinyl::mutex> g(m);
        queue.push_back(i);
      }
      cv.notify_one();
    }
  });
  auto body = [&]() -> vinyl::task<std::vector<int>> {
    std::vector<int> got;
    while (got.size() != 5) {
      lock_type lk = co_await vinyl::scoped_lock(m);
      co_await cv.wait(lk, [&] { return !queue.empty(); });
      got.insert(got.end(), queue.begin(), queue.end());
      queue.clear();
    }
    co_return got;
  };
  EXPECT_EQ(vinyl::block_on(body()), (std::vector<int>{0, 1, 2, 3, 4}));
  producer.join();
}

// An exception out of a critical section unlocks through the guard; the
// task waiting gets the mutex.
TEST_P(SyncAsync, ExceptionInCriticalSectionReleases) {
  vinyl::mutex m;
  bool got = false;
  auto failing = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    co_await vinyl::io::sleep_for(5ms);
    throw std::runtime_error("inside");
  };
  auto waiter = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    got = true;
  };
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(waiter);
    EXPECT_THROW(co_await failing(), std::runtime_error);
    co_return;
  };
  // The waiter queued behind `failing` (spawned tasks start after the body
  // suspends).
  vinyl::run(body());
  EXPECT_TRUE(got);
  EXPECT_TRUE(m.try_lock());
}

// Frames destroyed while they wait leave the queues and their loop's count:
// the mutex is free afterwards, a notify reaches the live waiter, and the
// loop then reports the deadlock the body runs into.
TEST_P(SyncAsync, WaitersDestroyedWhileWaiting) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  bool lock_waiter_ran = false, cv_waiter_ran = false, live_woken = false;
  auto lock_waiter = [&]() -> manual {
    co_await m.lock_async();
    lock_waiter_ran = true;
  };
  auto cv_waiter = [&]() -> manual {
    auto lk = co_await vinyl::scoped_lock(m);
    co_await cv.wait(lk);
    cv_waiter_ran = true;
  };
  auto live = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    co_await cv.wait(lk);
    live_woken = true;
  };
  auto body = [&]() -> vinyl::task<void> {
    co_await m.lock_async();
    manual a = lock_waiter();
    a.h.resume(); // queued on the mutex
    a.h.destroy();
    m.unlock();
    EXPECT_TRUE(m.try_lock()); // nobody was handed it
    m.unlock();

    manual b = cv_waiter();
    b.h.resume(); // waits on cv, m released
    auto h = vinyl::spawn(live);
    co_await vinyl::io::sleep_for(2ms); // live waits on cv behind b
    b.h.destroy();
    EXPECT_TRUE(m.try_lock()); // b's lock did not unlock it again
    m.unlock();
    cv.notify_one(); // reaches live, not the destroyed b
    co_await h.join();
    co_await suspend_for_good{};
  };
  EXPECT_THROW(vinyl::run(body()), vinyl::deadlock);
  EXPECT_FALSE(lock_waiter_ran);
  EXPECT_FALSE(cv_waiter_ran);
  EXPECT_TRUE(live_woken);
}

// A timed wait notified by another task, before its timeout.
TEST_P(SyncAsync, TimedWaitNotifiedByATask) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  std::cv_status status = std::cv_status::timeout;
  auto waiter = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    status = co_await cv.wait_for(lk, 10s);
  };
  auto body = [&]() -> vinyl::task<void> {
    auto h = vinyl::spawn(waiter);
    co_await vinyl::io::sleep_for(5ms);
    cv.notify_one();
    co_await h.join();
  };
  const auto start = clock_type::now();
  vinyl::run(body());
  EXPECT_EQ(status, std::cv_status::no_timeout);
  EXPECT_LT(clock_type::now() - start, 5s);
}

} // namespace
