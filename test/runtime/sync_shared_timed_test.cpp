// Tests of vinyl::mutex's shared and timed ownership and of
// vinyl::condition_variable's waits with a shared lock (vinyl/sync.hpp),
// what std::shared_mutex, std::timed_mutex, std::shared_timed_mutex and
// std::condition_variable_any become: std semantics for threads and in
// blocking mode; in async mode, on each backend, shared holders overlap
// across awaits while an exclusive one keeps them out, a waiting writer
// holds back later readers, a batch of readers is let in together, timed
// tries time out on the loop's timer while other tasks run, and timed tries
// and shared waits are handed over by plain threads and other tasks.
#include "test_support.hpp"

#include <vinyl/sync.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using clock_type = std::chrono::steady_clock;
using unique_type = vinyl::unique_lock<vinyl::mutex>;
using shared_type = vinyl::shared_lock<vinyl::mutex>;

// One type stands for the four std mutexes the tool converts.
static_assert(std::is_same_v<vinyl::shared_mutex, vinyl::mutex>);
static_assert(std::is_same_v<vinyl::timed_mutex, vinyl::mutex>);
static_assert(std::is_same_v<vinyl::shared_timed_mutex, vinyl::mutex>);
static_assert(
    std::is_same_v<vinyl::condition_variable_any, vinyl::condition_variable>);
static_assert(sizeof(vinyl::mutex) <= sizeof(std::mutex));

class SharedTimed : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, SharedTimed,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class SharedTimedAsync : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, SharedTimedAsync,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// A coroutine the test starts and destroys by hand.
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

// Waits (a task sleeps, a thread in blocking mode sleeps too) until
// `ready()` or about two seconds passed; whether it came.
template <class Ready> vinyl::task<bool> await_until(Ready ready) {
  for (int i = 0; i != 2000; ++i) {
    if (ready())
      co_return true;
    co_await vinyl::io::sleep_for(1ms);
  }
  co_return ready();
}

// std::shared_mutex's rules between plain threads.
TEST(SharedTimedThreads, SharedAndExclusiveOwnershipAsStd) {
  vinyl::shared_mutex m;
  m.lock_shared();
  bool other = false;
  std::thread([&] {
    other = m.try_lock_shared(); // readers share
    if (other)
      m.unlock_shared();
  }).join();
  EXPECT_TRUE(other);
  std::thread([&] { other = m.try_lock(); }).join();
  EXPECT_FALSE(other); // no writer while a reader holds
  m.unlock_shared();
  EXPECT_TRUE(m.try_lock());
  std::thread([&] { other = m.try_lock_shared(); }).join();
  EXPECT_FALSE(other); // no reader while a writer holds
  m.unlock();

  // The std lock types over it.
  {
    std::shared_lock<vinyl::shared_mutex> a(m), b(m);
    EXPECT_TRUE(a.owns_lock() && b.owns_lock());
    std::unique_lock<vinyl::shared_mutex> w(m, std::try_to_lock);
    EXPECT_FALSE(w.owns_lock());
  }
  std::unique_lock<vinyl::shared_mutex> w(m, std::try_to_lock);
  EXPECT_TRUE(w.owns_lock());
}

// Readers and writers on plain threads: the writers' read-modify-write
// never interleaves, and readers never see a half-made update.
TEST(SharedTimedThreads, ReadersAndWritersOnThreads) {
  vinyl::shared_mutex m;
  long a = 0, b = 0;
  std::atomic<int> torn{0};
  std::vector<std::thread> threads;
  for (int t = 0; t != 6; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i != 5000; ++i) {
        if (t < 2) {
          std::lock_guard<vinyl::mutex> g(m);
          ++a;
          ++b;
        } else {
          std::shared_lock<vinyl::mutex> g(m);
          if (a != b)
            ++torn;
        }
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(a, 10000);
  EXPECT_EQ(b, 10000);
  EXPECT_EQ(torn, 0);
}

// A writer waiting behind a reader holds back the readers that come after
// it, as a fair std::shared_mutex does; it gets the mutex when the reader
// lets go.
TEST(SharedTimedThreads, WaitingWriterHoldsBackNewReaders) {
  vinyl::mutex m;
  m.lock_shared();
  std::atomic<bool> written{false};
  std::thread writer([&] {
    m.lock();
    written = true;
    m.unlock();
  });
  // Queued once a new reader is refused.
  bool refused = false;
  for (int i = 0; i != 2000 && !refused; ++i) {
    if (m.try_lock_shared())
      m.unlock_shared();
    else
      refused = true;
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(refused);
  EXPECT_FALSE(written);
  m.unlock_shared();
  writer.join();
  EXPECT_TRUE(written);
  EXPECT_TRUE(m.try_lock_shared());
  m.unlock_shared();
}

// std::timed_mutex's tries between plain threads: a timeout while another
// thread holds the mutex, success when it lets go in time.
TEST(SharedTimedThreads, TimedTriesAsStd) {
  vinyl::timed_mutex m;
  std::atomic<int> stage{0};
  std::thread holder([&] {
    m.lock();
    stage = 1;
    while (stage != 2)
      std::this_thread::yield();
    std::this_thread::sleep_for(20ms);
    m.unlock();
  });
  while (stage != 1)
    std::this_thread::yield();
  auto start = clock_type::now();
  EXPECT_FALSE(m.try_lock_for(15ms));
  EXPECT_GE(clock_type::now() - start, 15ms);
  EXPECT_FALSE(m.try_lock_until(clock_type::now() + 5ms));
  EXPECT_FALSE(m.try_lock_shared_for(5ms));
  EXPECT_FALSE(m.try_lock_for(-5ms)); // a time already up: one try
  stage = 2;
  start = clock_type::now();
  {
    std::unique_lock<vinyl::timed_mutex> lk(m, 10s);
    EXPECT_TRUE(lk.owns_lock());
  }
  EXPECT_LT(clock_type::now() - start, 5s);
  holder.join();
  EXPECT_TRUE(m.try_lock_shared_until(clock_type::now() + 1ms));
  EXPECT_TRUE(m.try_lock_shared_for(1ms)); // readers share
  m.unlock_shared();
  m.unlock_shared();
}

// Three readers hold the mutex at once across awaits: each waits, holding
// it, until all three are in (threads in blocking mode, tasks of one loop in
// async mode).
TEST_P(SharedTimed, ReadersShareAcrossAwaits) {
  vinyl::mutex m;
  std::atomic<int> inside{0};
  std::atomic<int> all_in{0};
  auto reader = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock_shared(m);
    EXPECT_TRUE(lk.owns_lock());
    ++inside;
    if (co_await await_until([&] { return inside == 3; }))
      ++all_in;
  };
  auto body = [&]() -> vinyl::task<void> {
    for (int i = 0; i != 3; ++i)
      vinyl::spawn(reader);
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(all_in, 3);
  EXPECT_TRUE(m.try_lock());
}

// Writers hold the mutex across an await while readers check what they
// guard: a reader never sees a write in progress, no write is lost.
// Contention between the tasks of one loop in async mode, between threads
// in blocking mode.
TEST_P(SharedTimed, WritersExcludeReadersAcrossAwaits) {
  vinyl::mutex m;
  int value = 0, writes_in_progress = 0;
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  auto writer = [&]() -> vinyl::task<void> {
    for (int i = 0; i != 10; ++i) {
      auto lk = co_await vinyl::scoped_lock(m);
      ++writes_in_progress;
      const int seen = value;
      co_await vinyl::io::usleep(200);
      value = seen + 1;
      --writes_in_progress;
    }
  };
  auto reader = [&]() -> vinyl::task<void> {
    for (int i = 0; i != 10; ++i) {
      co_await m.lock_shared_async();
      if (writes_in_progress != 0)
        ++torn;
      co_await vinyl::io::usleep(100);
      if (writes_in_progress != 0)
        ++torn;
      ++reads;
      m.unlock_shared();
    }
  };
  auto body = [&]() -> vinyl::task<void> {
    for (int t = 0; t != 3; ++t) {
      vinyl::spawn(writer);
      vinyl::spawn(reader);
    }
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(value, 30);
  EXPECT_EQ(reads, 30);
  EXPECT_EQ(torn, 0);
}

// A timed try times out while another holder keeps the mutex across
// awaits, then succeeds once it lets go; on the loop, a third task ticks
// meanwhile (the thread never blocks).
TEST_P(SharedTimed, TimedTryTimesOutThenSucceeds) {
  vinyl::mutex m;
  std::atomic<bool> held{false}, let_go{false};
  bool done = false;
  int ticks = 0;
  auto holder = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock(m);
    held = true;
    co_await await_until([&] { return let_go.load(); });
    co_await vinyl::io::sleep_for(10ms); // the try below waits for this
  };
  auto trier = [&]() -> vinyl::task<void> {
    co_await await_until([&] { return held.load(); });
    auto start = clock_type::now();
    const bool first = co_await m.try_lock_for_async(20ms);
    EXPECT_FALSE(first);
    EXPECT_GE(clock_type::now() - start, 20ms);
    const bool second =
        co_await m.try_lock_shared_until_async(clock_type::now() + 5ms);
    EXPECT_FALSE(second);
    auto timed = co_await vinyl::scoped_lock(m, 5ms);
    EXPECT_FALSE(timed.owns_lock());
    EXPECT_EQ(timed.mutex(), &m);
    if (timed.owns_lock())
      timed.unlock();
    let_go = true;
    start = clock_type::now();
    const bool third = co_await vinyl::try_lock_for(timed, 10s);
    EXPECT_TRUE(third);
    EXPECT_TRUE(timed.owns_lock());
    EXPECT_LT(clock_type::now() - start, 5s);
    timed.unlock();
    auto shared = co_await vinyl::scoped_lock_shared(m, 10s);
    EXPECT_TRUE(shared.owns_lock());
    const bool fourth = co_await m.try_lock_shared_for_async(1ms);
    EXPECT_TRUE(fourth); // readers share
    if (fourth)
      m.unlock_shared();
    done = true;
  };
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(holder);
    vinyl::spawn(trier);
    if (async())
      co_await tick_until(done, 1ms, [&] { ++ticks; });
  };
  vinyl::run(body());
  EXPECT_TRUE(done);
  if (async()) {
    EXPECT_GE(ticks, 10);
  }
  EXPECT_TRUE(m.try_lock());
}

// vinyl::lock_async, try_lock_for and try_lock_until on a shared_lock, and
// the exceptions std::shared_lock's lock and try_lock_for throw.
TEST_P(SharedTimed, SharedLockRelocksAsync) {
  vinyl::mutex m;
  auto body = [&]() -> vinyl::task<void> {
    shared_type lk = co_await vinyl::scoped_lock_shared(m);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock());
    lk.unlock();
    co_await vinyl::lock_async(lk);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_THROW((void)vinyl::lock_async(lk), std::system_error);
    EXPECT_THROW((void)vinyl::try_lock_for(lk, 1ms), std::system_error);
    lk.unlock();
    const bool again =
        co_await vinyl::try_lock_until(lk, clock_type::now() + 1ms);
    EXPECT_TRUE(again);
    EXPECT_TRUE(lk.owns_lock());
    shared_type empty;
    EXPECT_THROW((void)vinyl::lock_async(empty), std::system_error);
    EXPECT_THROW((void)vinyl::try_lock_for(empty, 1ms), std::system_error);
  };
  vinyl::block_on(body());
  EXPECT_TRUE(m.try_lock());
}

// What std::condition_variable_any does with a std::shared_lock: waits
// release the shared ownership and take it again; a writer changes the
// state under the exclusive lock and notifies all.
TEST_P(SharedTimed, ConditionVariableWithSharedLocks) {
  vinyl::shared_mutex m;
  vinyl::condition_variable_any cv;
  bool ready = false;
  std::atomic<int> woken{0};
  std::atomic<int> waiting{0};
  auto waiter = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock_shared(m);
    ++waiting;
    co_await cv.wait(lk, [&] { return ready; });
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock()); // shared again
    ++woken;
  };
  auto writer = [&]() -> vinyl::task<void> {
    co_await await_until([&] { return waiting == 3; });
    {
      auto lk = co_await vinyl::scoped_lock(m);
      ready = true;
    }
    cv.notify_all();
  };
  auto body = [&]() -> vinyl::task<void> {
    for (int i = 0; i != 3; ++i)
      vinyl::spawn(waiter);
    vinyl::spawn(writer);
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(woken, 3);
  EXPECT_TRUE(m.try_lock());
}

TEST_P(SharedTimed, SharedTimedWaitTimesOut) {
  vinyl::mutex m;
  vinyl::condition_variable cv;
  auto body = [&]() -> vinyl::task<void> {
    auto lk = co_await vinyl::scoped_lock_shared(m);
    const auto start = clock_type::now();
    const std::cv_status status = co_await cv.wait_for(lk, 20ms);
    EXPECT_EQ(status, std::cv_status::timeout);
    EXPECT_GE(clock_type::now() - start, 20ms);
    const bool met = co_await cv.wait_until(lk, clock_type::now() + 2ms,
                                            [] { return false; });
    EXPECT_FALSE(met);
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock());
    EXPECT_TRUE(m.try_lock_shared());
    m.unlock_shared();
  };
  vinyl::block_on(body());
  EXPECT_TRUE(m.try_lock());
}

// On one loop: a reader holds the mutex across a sleep, a writer queues,
// and a reader that comes after the writer waits for it (no writer
// starvation); the writer then hands over to the readers queued behind it,
// who hold the mutex together.
TEST_P(SharedTimedAsync, WriterBetweenReadersIsFair) {
  vinyl::mutex m;
  std::vector<int> order;
  int inside = 0, most_inside = 0;
  auto reader = [&](int id, int delay_ms) -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(std::chrono::milliseconds(delay_ms));
    co_await m.lock_shared_async();
    order.push_back(id);
    most_inside = std::max(most_inside, ++inside);
    co_await vinyl::io::sleep_for(5ms);
    --inside;
    m.unlock_shared();
  };
  auto writer = [&]() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(2ms);
    auto lk = co_await vinyl::scoped_lock(m);
    order.push_back(100);
    EXPECT_EQ(inside, 0);
    co_await vinyl::io::sleep_for(5ms);
  };
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(reader, 1, 0); // holds 0-5 ms
    vinyl::spawn(writer);       // queues at 2 ms
    vinyl::spawn(reader, 2, 3); // after the writer: waits
    vinyl::spawn(reader, 3, 4);
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(order, (std::vector<int>{1, 100, 2, 3}));
  EXPECT_EQ(most_inside, 2); // 2 and 3, let in together
}

// A plain thread holds the mutex; a task's shared wait and a timed try are
// handed over to its loop from that thread, before the timeout.
TEST_P(SharedTimedAsync, PlainThreadHandsOverToWaitingTasks) {
  vinyl::mutex m;
  std::atomic<int> stage{0};
  std::thread other([&] {
    m.lock();
    stage = 1;
    std::this_thread::sleep_for(20ms);
    m.unlock();
    while (stage != 2)
      std::this_thread::yield();
    m.lock();
    stage = 3;
    std::this_thread::sleep_for(20ms);
    m.unlock();
  });
  auto body = [&]() -> vinyl::task<bool> {
    while (stage != 1)
      co_await vinyl::io::sleep_for(1ms);
    co_await m.lock_shared_async();
    m.unlock_shared();
    stage = 2;
    while (stage != 3)
      co_await vinyl::io::sleep_for(1ms);
    const bool got = co_await m.try_lock_for_async(10s);
    if (got)
      m.unlock();
    co_return got;
  };
  const auto start = clock_type::now();
  EXPECT_TRUE(vinyl::block_on(body()));
  EXPECT_LT(clock_type::now() - start, 5s);
  other.join();
}

// A shared waiter destroyed while it waits leaves the queue: the writer
// that held the mutex lets go to nobody, and readers are let in again.
TEST_P(SharedTimedAsync, SharedWaiterDestroyedWhileWaiting) {
  vinyl::mutex m;
  bool ran = false;
  auto shared_waiter = [&]() -> manual {
    co_await m.lock_shared_async();
    ran = true;
  };
  auto body = [&]() -> vinyl::task<void> {
    co_await m.lock_async();
    manual a = shared_waiter();
    a.h.resume(); // queued
    EXPECT_FALSE(m.try_lock_shared());
    a.h.destroy();
    m.unlock();
    EXPECT_TRUE(m.try_lock()); // nobody was handed it
    m.unlock();
    co_return;
  };
  vinyl::run(body());
  EXPECT_FALSE(ran);
}

// A timed try that times out while it is the first waiter behind a reader
// lets the readers queued behind it in: they waited only for it.
TEST_P(SharedTimedAsync, TimedOutWriterLetsQueuedReadersIn) {
  vinyl::mutex m;
  bool reader_in = false, writer_gave_up = false;
  auto writer = [&]() -> vinyl::task<void> {
    writer_gave_up = !co_await m.try_lock_for_async(20ms);
  };
  auto late_reader = [&]() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(5ms); // behind the writer
    co_await m.lock_shared_async();
    reader_in = true;
    m.unlock_shared();
  };
  auto body = [&]() -> vinyl::task<void> {
    co_await m.lock_shared_async();
    auto w = vinyl::spawn(writer);
    auto r = vinyl::spawn(late_reader);
    co_await w.join();
    // The writer gave up while this task still holds its shared lock, and
    // the reader got in beside it.
    EXPECT_TRUE(writer_gave_up);
    const bool in = co_await await_until([&] { return reader_in; });
    EXPECT_TRUE(in);
    m.unlock_shared();
    co_await r.join();
  };
  vinyl::run(body());
  EXPECT_TRUE(m.try_lock());
}

} // namespace
