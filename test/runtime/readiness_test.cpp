// Tests of the readiness awaitables an adapter of a library with its own
// non-blocking I/O builds on (vinyl::io::wait_readable, wait_writable) and
// of vinyl::on_event_loop: the same answers as poll(2) on one descriptor in
// every mode, and in async mode a wait that lets the loop's other tasks run.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <poll.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;

class Readiness : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Readiness,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncReadiness : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncReadiness,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

struct wait_result {
  int value;
  short revents;
  int error;
};

template <class Awaitable> vinyl::task<wait_result> outcome(Awaitable a) {
  errno = 0;
  const int value = co_await a;
  co_return wait_result{value, a.revents(), errno};
}

TEST_P(Readiness, ReadableWithDataIsReadyAtOnce) {
  pipe_fds p;
  ASSERT_EQ(::write(p.write_end, "x", 1), 1);
  const wait_result r =
      vinyl::block_on(outcome(vinyl::io::wait_readable(p.read_end)));
  EXPECT_EQ(r.value, 1);
  EXPECT_EQ(r.revents, POLLIN);
}

TEST_P(Readiness, ReadableTimesOutWithZero) {
  pipe_fds p;
  const auto start = std::chrono::steady_clock::now();
  const wait_result r =
      vinyl::block_on(outcome(vinyl::io::wait_readable(p.read_end, 20ms)));
  EXPECT_EQ(r.value, 0);
  EXPECT_EQ(r.revents, 0);
  // Never shorter than asked.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
}

TEST_P(Readiness, ZeroTimeoutOnlyLooks) {
  pipe_fds p;
  EXPECT_EQ(vinyl::block_on(outcome(vinyl::io::wait_readable(p.read_end, 0ms)))
                .value,
            0);
}

TEST_P(Readiness, HangUpCountsAsReady) {
  pipe_fds p;
  ::close(p.write_end);
  p.write_end = ::dup(p.read_end); // something for the destructor to close
  const wait_result r =
      vinyl::block_on(outcome(vinyl::io::wait_readable(p.read_end, 1s)));
  EXPECT_EQ(r.value, 1);
  EXPECT_TRUE(r.revents & POLLHUP);
}

TEST_P(Readiness, WritableSocketIsReadyAtOnce) {
  socket_pair s;
  const wait_result r =
      vinyl::block_on(outcome(vinyl::io::wait_writable(s.a, 1s)));
  EXPECT_EQ(r.value, 1);
  EXPECT_EQ(r.revents, POLLOUT);
}

// poll(2) reports a descriptor that is not open as POLLNVAL, ready.
TEST_P(Readiness, ClosedDescriptorIsReportedAsInvalid) {
  const wait_result r =
      vinyl::block_on(outcome(vinyl::io::wait_readable(closed_fd(), 1s)));
  EXPECT_EQ(r.value, 1);
  EXPECT_EQ(r.revents, POLLNVAL);
}

TEST_P(Readiness, OnEventLoopSaysWhetherALoopRunsHere) {
  EXPECT_FALSE(vinyl::on_event_loop());
  auto inside = []() -> vinyl::task<bool> { co_return vinyl::on_event_loop(); };
  EXPECT_EQ(vinyl::block_on(inside()), async());
  EXPECT_FALSE(vinyl::on_event_loop());
}

// The wait suspends the task alone: another task runs meanwhile, and
// writes what the first waits for.
TEST_P(AsyncReadiness, WaitLetsOtherTasksRun) {
  pipe_fds p;
  log_t log;
  auto reader = [&]() -> vinyl::task<int> {
    log.push_back("waiting");
    const int r = co_await vinyl::io::wait_readable(p.read_end);
    log.push_back("readable");
    co_return r;
  };
  auto writer = [&]() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(5ms);
    log.push_back("writing");
    co_return static_cast<int>(::write(p.write_end, "x", 1));
  };
  const auto [r, w] = vinyl::run(vinyl::when_all(reader(), writer()));
  EXPECT_EQ(r, 1);
  EXPECT_EQ(w, 1);
  EXPECT_EQ(log, (log_t{"waiting", "writing", "readable"}));
}

// Many tasks waiting on as many descriptors at once, each with a timeout
// that does not fire.
TEST_P(AsyncReadiness, ManyWaitsAtOnce) {
  constexpr int n = 64;
  std::vector<std::unique_ptr<socket_pair>> pairs;
  for (int i = 0; i != n; ++i)
    pairs.push_back(std::make_unique<socket_pair>());
  auto feeder = [&]() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(2ms);
    for (auto &p : pairs)
      (void)::write(p->b, "y", 1);
    co_return 0;
  };
  auto body = [&]() -> vinyl::task<int> {
    std::vector<vinyl::join_handle> waits;
    int ready = 0;
    std::vector<int> results(n);
    for (int i = 0; i != n; ++i)
      waits.push_back(vinyl::spawn(
          [](int fd, int &out) -> vinyl::task<void> {
            out = co_await vinyl::io::wait_readable(fd, 10s);
          },
          pairs[static_cast<std::size_t>(i)]->a,
          std::ref(results[static_cast<std::size_t>(i)])));
    co_await feeder();
    for (auto &w : waits)
      co_await w.join();
    for (int r : results)
      ready += r;
    co_return ready;
  };
  EXPECT_EQ(vinyl::run(body()), n);
}

} // namespace
