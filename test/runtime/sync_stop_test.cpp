// Tests of vinyl::condition_variable's interruptible waits (the
// std::stop_token overloads of std::condition_variable_any), in blocking
// mode and on each async backend: a stop requested from another thread
// ends a wait that no notify would end, with the predicate's value and the
// lock held again; a stop requested before the wait ends it at once; a
// notify that makes the predicate true still wins; a timed one times out;
// and stops requested at every moment around the start of the wait, from a
// thread, never leave a waiter asleep (the check is made where the wait is
// queued).
#include "test_support.hpp"

#include <vinyl/sync.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using clock_type = std::chrono::steady_clock;

class SyncStop : public with_io_config {};

/// A thread that requests a stop of \p source after \p delay.
std::thread stop_after(std::stop_source &source,
                       std::chrono::milliseconds delay) {
  return std::thread([&source, delay] {
    std::this_thread::sleep_for(delay);
    source.request_stop();
  });
}

INSTANTIATE_TEST_SUITE_P(Modes, SyncStop,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

TEST_P(SyncStop, StopFromAThreadEndsAWaitNoNotifyEnds) {
  vinyl::mutex m;
  vinyl::condition_variable_any cv;
  std::stop_source source;
  std::thread stopper = stop_after(source, 20ms);
  auto waiter = [&]() -> vinyl::task<bool> {
    auto lk = co_await vinyl::scoped_lock(m);
    const bool met = co_await cv.wait(lk, source.get_token(),
                                      [] { return false; });
    // Nothing notifies: only the stop could end it.
    EXPECT_TRUE(source.stop_requested());
    EXPECT_TRUE(lk.owns_lock());
    EXPECT_FALSE(m.try_lock());
    co_return met;
  };
  EXPECT_FALSE(vinyl::block_on(waiter()));
  stopper.join();
}

TEST_P(SyncStop, StopRequestedBeforeTheWaitEndsItAtOnce) {
  vinyl::mutex m;
  vinyl::condition_variable_any cv;
  std::stop_source source;
  source.request_stop();
  int asked = 0;
  auto waiter = [&]() -> vinyl::task<bool> {
    auto lk = co_await vinyl::scoped_lock(m);
    const bool met = co_await cv.wait(lk, source.get_token(), [&] {
      ++asked;
      return false;
    });
    EXPECT_TRUE(lk.owns_lock());
    co_return met;
  };
  EXPECT_FALSE(vinyl::block_on(waiter()));
  EXPECT_EQ(asked, 1);
}

TEST_P(SyncStop, NotifyThatMeetsThePredicateWins) {
  vinyl::mutex m;
  vinyl::condition_variable_any cv;
  std::stop_source source;
  bool ready = false;
  std::thread notifier([&] {
    std::this_thread::sleep_for(10ms);
    {
      std::lock_guard<vinyl::mutex> g(m);
      ready = true;
    }
    cv.notify_one();
  });
  auto waiter = [&]() -> vinyl::task<bool> {
    auto lk = co_await vinyl::scoped_lock(m);
    co_return co_await cv.wait(lk, source.get_token(), [&] { return ready; });
  };
  EXPECT_TRUE(vinyl::block_on(waiter()));
  notifier.join();
  EXPECT_FALSE(source.stop_requested());
}

TEST_P(SyncStop, TimedWaitWithoutStopTimesOut) {
  vinyl::mutex m;
  vinyl::condition_variable_any cv;
  std::stop_source source;
  auto waiter = [&]() -> vinyl::task<bool> {
    auto lk = co_await vinyl::scoped_lock(m);
    const auto start = clock_type::now();
    const bool met = co_await cv.wait_for(lk, source.get_token(), 20ms,
                                          [] { return false; });
    EXPECT_GE(clock_type::now() - start, 20ms);
    const bool until = co_await cv.wait_until(
        lk, source.get_token(), clock_type::now() + 1ms, [] { return false; });
    EXPECT_FALSE(until);
    co_return met;
  };
  EXPECT_FALSE(vinyl::block_on(waiter()));
}

TEST_P(SyncStop, TimedWaitEndsAtTheStop) {
  vinyl::mutex m;
  vinyl::condition_variable_any cv;
  std::stop_source source;
  std::thread stopper = stop_after(source, 10ms);
  auto waiter = [&]() -> vinyl::task<bool> {
    auto lk = co_await vinyl::scoped_lock(m);
    const auto start = clock_type::now();
    const bool met = co_await cv.wait_for(lk, source.get_token(), 10s,
                                          [] { return false; });
    // Ended by the stop, not by its deadline.
    EXPECT_TRUE(source.stop_requested());
    EXPECT_LT(clock_type::now() - start, 10s);
    EXPECT_TRUE(lk.owns_lock());
    co_return met;
  };
  EXPECT_FALSE(vinyl::block_on(waiter()));
  stopper.join();
}

TEST_P(SyncStop, StopsAroundTheStartOfTheWaitAreNeverMissed) {
  // The stop comes a little later each round, from the predicate's first
  // test (before the wait is queued) to well after it is queued.
  for (int round = 0; round != 400; ++round) {
    vinyl::mutex m;
    vinyl::condition_variable_any cv;
    std::stop_source source;
    std::atomic<bool> go{false};
    std::thread stopper([&] {
      while (!go.load()) {
      }
      volatile int work = 0;
      for (int spin = 0; spin != (round % 100) * 4; ++spin)
        work = work + 1;
      source.request_stop();
    });
    auto waiter = [&]() -> vinyl::task<bool> {
      auto lk = co_await vinyl::scoped_lock(m);
      co_return co_await cv.wait(lk, source.get_token(), [&] {
        go.store(true);
        return false;
      });
    };
    EXPECT_FALSE(vinyl::block_on(waiter()));
    stopper.join();
  }
}

} // namespace
