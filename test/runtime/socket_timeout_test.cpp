// Tests that a socket's receive and send timeouts (SO_RCVTIMEO,
// SO_SNDTIMEO) end a leaf's wait as they end the blocking call: EAGAIN after
// the timeout, the bytes moved so far when there are some, EINPROGRESS for a
// connect. Every mode must give the same answer; in async mode the wait is
// the loop's, so other tasks run meanwhile.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using clock_type = std::chrono::steady_clock;

class SocketTimeout : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, SocketTimeout,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncSocketTimeout : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncSocketTimeout,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

void set_timeout(int fd, int option, long milliseconds) {
  timeval tv{milliseconds / 1000, (milliseconds % 1000) * 1000};
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv), 0);
}

struct call_result {
  long long value;
  int error;
  clock_type::duration took;
};

template <class Awaitable> vinyl::task<call_result> timed(Awaitable a) {
  errno = 0;
  const auto start = clock_type::now();
  const long long value = co_await a;
  co_return call_result{value, value < 0 ? errno : 0,
                        clock_type::now() - start};
}

// Runs the call on a thread of its own. When an io_uring instance is closed
// (an earlier test switched backends), the kernel later sends its thread a
// notification that interrupts a blocking call, and one under a socket
// timeout then fails with EINTR (sock_intr_errno); a fresh thread has no
// ring history.
template <class Awaitable> call_result timed_on_fresh_thread(Awaitable a) {
  call_result r{};
  std::thread t([&] { r = vinyl::block_on(timed(std::move(a))); });
  t.join();
  return r;
}

// The kernel counts socket timeouts in jiffies, so a wait may end a little
// before the asked time; it must not end long before.
constexpr auto timeout = 50ms;
constexpr auto at_least = 40ms;

TEST_P(SocketTimeout, RecvWithNothingToReadFailsWithEagain) {
  socket_pair s;
  set_timeout(s.a, SO_RCVTIMEO, timeout.count());
  char buf[8];
  const call_result r =
      timed_on_fresh_thread(vinyl::io::recv(s.a, buf, sizeof buf, 0));
  EXPECT_EQ(r.value, -1);
  EXPECT_EQ(r.error, EAGAIN);
  EXPECT_GE(r.took, at_least);
}

TEST_P(SocketTimeout, ReadOnASocketHonoursItToo) {
  socket_pair s;
  set_timeout(s.a, SO_RCVTIMEO, timeout.count());
  char buf[8];
  const call_result r =
      timed_on_fresh_thread(vinyl::io::read(s.a, buf, sizeof buf));
  EXPECT_EQ(r.value, -1);
  EXPECT_EQ(r.error, EAGAIN);
  EXPECT_GE(r.took, at_least);
}

TEST_P(SocketTimeout, WaitallRecvReturnsWhatArrivedBeforeTheTimeout) {
  socket_pair s;
  set_timeout(s.a, SO_RCVTIMEO, timeout.count());
  ASSERT_EQ(::write(s.b, "abc", 3), 3);
  char buf[10] = {};
  const call_result r = timed_on_fresh_thread(
      vinyl::io::recv(s.a, buf, sizeof buf, MSG_WAITALL));
  EXPECT_EQ(r.value, 3);
  EXPECT_EQ(std::string(buf, 3), "abc");
  EXPECT_GE(r.took, at_least);
}

TEST_P(SocketTimeout, AcceptWithNoConnectionFailsWithEagain) {
  sockaddr_in addr{};
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  set_timeout(listener.get(), SO_RCVTIMEO, timeout.count());
  const call_result r = timed_on_fresh_thread(
      vinyl::io::accept(listener.get(), nullptr, nullptr));
  EXPECT_EQ(r.value, -1);
  EXPECT_EQ(r.error, EAGAIN);
  EXPECT_GE(r.took, at_least);
}

// A full socket buffer: the send waits for room until the send timeout.
TEST_P(SocketTimeout, SendIntoAFullSocketFailsWithEagain) {
  socket_pair s;
  const int flags = ::fcntl(s.a, F_GETFL);
  ASSERT_EQ(::fcntl(s.a, F_SETFL, flags | O_NONBLOCK), 0);
  std::vector<char> chunk(65536, 'x');
  while (::send(s.a, chunk.data(), chunk.size(), 0) > 0) {
  }
  ASSERT_EQ(errno, EAGAIN);
  ASSERT_EQ(::fcntl(s.a, F_SETFL, flags), 0);
  set_timeout(s.a, SO_SNDTIMEO, timeout.count());
  const call_result r =
      timed_on_fresh_thread(vinyl::io::send(s.a, chunk.data(), 1, 0));
  EXPECT_EQ(r.value, -1);
  EXPECT_EQ(r.error, EAGAIN);
  EXPECT_GE(r.took, at_least);
}

// Data that comes before the timeout is read as usual.
TEST_P(AsyncSocketTimeout, DataBeforeTheTimeoutIsRead) {
  socket_pair s;
  set_timeout(s.a, SO_RCVTIMEO, 2000);
  char buf[8] = {};
  auto reader = [&]() -> vinyl::task<long long> {
    co_return co_await vinyl::io::recv(s.a, buf, sizeof buf, 0);
  };
  auto writer = [&]() -> vinyl::task<long long> {
    co_await vinyl::io::sleep_for(5ms);
    co_return ::write(s.b, "hi", 2);
  };
  const auto [r, w] = vinyl::run(vinyl::when_all(reader(), writer()));
  EXPECT_EQ(r, 2);
  EXPECT_EQ(w, 2);
  EXPECT_EQ(std::string(buf), "hi");
}

// The loop is not blocked while the receive waits for its timeout.
TEST_P(AsyncSocketTimeout, OtherTasksRunDuringTheWait) {
  socket_pair s;
  set_timeout(s.a, SO_RCVTIMEO, timeout.count());
  std::vector<std::string> log;
  auto reader = [&]() -> vinyl::task<long long> {
    char buf[8];
    const long long r = co_await vinyl::io::recv(s.a, buf, sizeof buf, 0);
    log.push_back("timed out");
    co_return r;
  };
  auto other = [&]() -> vinyl::task<long long> {
    co_await vinyl::io::sleep_for(5ms);
    log.push_back("other");
    co_return 0;
  };
  const auto [r, o] = vinyl::run(vinyl::when_all(reader(), other()));
  EXPECT_EQ(r, -1);
  EXPECT_EQ(log, (std::vector<std::string>{"other", "timed out"}));
}

} // namespace
