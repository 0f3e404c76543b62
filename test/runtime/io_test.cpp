// Tests of vinyl::io: each awaitable yields what the POSIX call it replaces
// returns, with the same errno, on success and on failure. Real descriptors
// throughout: pipes, socketpairs, loopback sockets on ephemeral ports, a
// temporary file, /dev/zero. ctest runs these in blocking mode and again with
// VINYL_IO=async on each backend (VINYL_IO_BACKEND), where the same calls go
// through the event loop and must give the same answers.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <ratio>
#include <csignal>
#include <cstring>
#include <ostream>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;

// What an awaited call yielded, and errno as the coroutine saw it right after.
struct outcome {
  long long value;
  int error;
  friend bool operator==(const outcome &, const outcome &) = default;
  friend std::ostream &operator<<(std::ostream &os, const outcome &o) {
    return os << "{" << o.value << ", errno " << o.error << " ("
              << std::strerror(o.error) << ")}";
  }
};

outcome ok(long long value) { return {value, 0}; }
outcome failed(int error) { return {-1, error}; }

template <class Awaitable> outcome await_with_errno(Awaitable op) {
  auto body = [](Awaitable op) -> vinyl::task<outcome> {
    errno = 0;
    const long long value = co_await op;
    co_return outcome{value, errno};
  };
  return vinyl::block_on(body(op));
}

// Each awaitable yields exactly the type of the call it replaces.
template <class Awaitable, class Call>
constexpr bool yields_v =
    std::is_same_v<decltype(std::declval<Awaitable>().await_resume()), Call>;
static_assert(yields_v<vinyl::io::read_op, decltype(::read(0, nullptr, 0))>);
static_assert(yields_v<vinyl::io::write_op, decltype(::write(0, nullptr, 0))>);
static_assert(
    yields_v<vinyl::io::pread_op, decltype(::pread(0, nullptr, 0, 0))>);
static_assert(
    yields_v<vinyl::io::pwrite_op, decltype(::pwrite(0, nullptr, 0, 0))>);
static_assert(yields_v<vinyl::io::recv_op, decltype(::recv(0, nullptr, 0, 0))>);
static_assert(yields_v<vinyl::io::send_op, decltype(::send(0, nullptr, 0, 0))>);
static_assert(
    yields_v<vinyl::io::recvfrom_op,
             decltype(::recvfrom(0, nullptr, 0, 0, nullptr, nullptr))>);
static_assert(yields_v<vinyl::io::sendto_op,
                       decltype(::sendto(0, nullptr, 0, 0, nullptr, 0))>);
static_assert(
    yields_v<vinyl::io::accept_op, decltype(::accept(0, nullptr, nullptr))>);
static_assert(yields_v<vinyl::io::accept4_op,
                       decltype(::accept4(0, nullptr, nullptr, 0))>);
static_assert(
    yields_v<vinyl::io::connect_op, decltype(::connect(0, nullptr, 0))>);
static_assert(yields_v<vinyl::io::poll_op, decltype(::poll(nullptr, 0, 0))>);
static_assert(yields_v<vinyl::io::sleep_op, decltype(::sleep(0))>);
static_assert(yields_v<vinyl::io::usleep_op, decltype(::usleep(0))>);
static_assert(
    yields_v<vinyl::io::nanosleep_op, decltype(::nanosleep(nullptr, nullptr))>);

using namespace vinyl_test;

TEST(Io, Read) {
  pipe_fds p;
  ASSERT_EQ(::write(p.write_end, "abc", 3), 3);
  char buf[8] = {};
  EXPECT_EQ(await_with_errno(vinyl::io::read(p.read_end, buf, sizeof buf)),
            ok(3));
  EXPECT_STREQ(buf, "abc");

  fd_closer zero(::open("/dev/zero", O_RDONLY));
  EXPECT_EQ(await_with_errno(vinyl::io::read(zero.get(), buf, sizeof buf)),
            ok(8));
  EXPECT_EQ(buf[0], 0);
}

TEST(Io, ReadFailures) {
  char buf[8];
  EXPECT_EQ(await_with_errno(vinyl::io::read(closed_fd(), buf, sizeof buf)),
            failed(EBADF));
  pipe_fds p(O_NONBLOCK);
  EXPECT_EQ(await_with_errno(vinyl::io::read(p.read_end, buf, sizeof buf)),
            failed(EAGAIN));
}

TEST(Io, Write) {
  pipe_fds p;
  EXPECT_EQ(await_with_errno(vinyl::io::write(p.write_end, "hello", 5)), ok(5));
  char buf[8] = {};
  ASSERT_EQ(::read(p.read_end, buf, sizeof buf), 5);
  EXPECT_STREQ(buf, "hello");

  EXPECT_EQ(await_with_errno(vinyl::io::write(closed_fd(), "x", 1)),
            failed(EBADF));
  EXPECT_EQ(await_with_errno(vinyl::io::write(p.read_end, "x", 1)),
            failed(EBADF));
}

TEST(Io, PreadPwrite) {
  char path[] = "/tmp/vinyl_io_test_XXXXXX";
  fd_closer file(::mkstemp(path));
  ASSERT_GE(file.get(), 0);
  ::unlink(path);

  EXPECT_EQ(await_with_errno(vinyl::io::pwrite(file.get(), "world", 5, 10)),
            ok(5));
  char buf[8] = {};
  EXPECT_EQ(await_with_errno(vinyl::io::pread(file.get(), buf, 5, 10)), ok(5));
  EXPECT_STREQ(buf, "world");
  // Positional calls leave the file offset alone.
  EXPECT_EQ(::lseek(file.get(), 0, SEEK_CUR), 0);
  EXPECT_EQ(await_with_errno(vinyl::io::pread(file.get(), buf, 5, 100)), ok(0));
}

TEST(Io, PreadPwriteFailures) {
  pipe_fds p;
  char buf[4];
  EXPECT_EQ(await_with_errno(vinyl::io::pread(p.read_end, buf, 4, 0)),
            failed(ESPIPE));
  EXPECT_EQ(await_with_errno(vinyl::io::pwrite(p.write_end, "x", 1, 0)),
            failed(ESPIPE));
  EXPECT_EQ(await_with_errno(vinyl::io::pread(closed_fd(), buf, 4, 0)),
            failed(EBADF));
  EXPECT_EQ(await_with_errno(vinyl::io::pwrite(closed_fd(), "x", 1, 0)),
            failed(EBADF));
}

TEST(Io, SendRecv) {
  socket_pair s;
  EXPECT_EQ(await_with_errno(vinyl::io::send(s.a, "ping", 4, 0)), ok(4));
  char buf[8] = {};
  EXPECT_EQ(await_with_errno(vinyl::io::recv(s.b, buf, sizeof buf, 0)), ok(4));
  EXPECT_STREQ(buf, "ping");
}

TEST(Io, SendRecvFailures) {
  socket_pair s;
  char buf[8];
  EXPECT_EQ(
      await_with_errno(vinyl::io::recv(s.b, buf, sizeof buf, MSG_DONTWAIT)),
      failed(EAGAIN));
  EXPECT_EQ(await_with_errno(vinyl::io::recv(closed_fd(), buf, sizeof buf, 0)),
            failed(EBADF));
  EXPECT_EQ(await_with_errno(vinyl::io::send(closed_fd(), "x", 1, 0)),
            failed(EBADF));
  ::shutdown(s.a, SHUT_WR);
  EXPECT_EQ(await_with_errno(vinyl::io::send(s.a, "x", 1, MSG_NOSIGNAL)),
            failed(EPIPE));
}

TEST(Io, SendtoRecvfrom) {
  sockaddr_in server_addr, client_addr;
  fd_closer server = bound_socket(SOCK_DGRAM, server_addr);
  fd_closer client = bound_socket(SOCK_DGRAM, client_addr);

  EXPECT_EQ(await_with_errno(vinyl::io::sendto(
                client.get(), "datagram", 8, 0,
                reinterpret_cast<const sockaddr *>(&server_addr),
                sizeof server_addr)),
            ok(8));

  char buf[16] = {};
  sockaddr_in from{};
  socklen_t from_len = sizeof from;
  EXPECT_EQ(await_with_errno(vinyl::io::recvfrom(
                server.get(), buf, sizeof buf, 0,
                reinterpret_cast<sockaddr *>(&from), &from_len)),
            ok(8));
  EXPECT_STREQ(buf, "datagram");
  EXPECT_EQ(from_len, sizeof from);
  EXPECT_EQ(from.sin_port, client_addr.sin_port);
}

TEST(Io, SendtoRecvfromFailures) {
  sockaddr_in addr;
  fd_closer sock = bound_socket(SOCK_DGRAM, addr);
  char buf[8];
  EXPECT_EQ(await_with_errno(vinyl::io::recvfrom(
                sock.get(), buf, sizeof buf, MSG_DONTWAIT, nullptr, nullptr)),
            failed(EAGAIN));
  EXPECT_EQ(await_with_errno(vinyl::io::sendto(
                closed_fd(), "x", 1, 0,
                reinterpret_cast<const sockaddr *>(&addr), sizeof addr)),
            failed(EBADF));
  // A datagram socket needs a destination when it is not connected.
  EXPECT_EQ(
      await_with_errno(vinyl::io::sendto(sock.get(), "x", 1, 0, nullptr, 0)),
      failed(EDESTADDRREQ));
}

TEST(Io, ConnectAcceptOverLoopback) {
  sockaddr_in addr;
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 4), 0);

  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_EQ(await_with_errno(vinyl::io::connect(
                client.get(), reinterpret_cast<const sockaddr *>(&addr),
                sizeof addr)),
            ok(0));

  sockaddr_in peer{};
  socklen_t peer_len = sizeof peer;
  const auto [fd, err] = await_with_errno(vinyl::io::accept(
      listener.get(), reinterpret_cast<sockaddr *>(&peer), &peer_len));
  fd_closer accepted(fd);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(err, 0);
  EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

  // The accepted socket is connected to the client.
  ASSERT_EQ(::send(client.get(), "hi", 2, 0), 2);
  char buf[4] = {};
  ASSERT_EQ(::recv(accepted.get(), buf, sizeof buf, 0), 2);
  EXPECT_STREQ(buf, "hi");
}

TEST(Io, Accept4AppliesFlags) {
  sockaddr_in addr;
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_EQ(::connect(client.get(), reinterpret_cast<const sockaddr *>(&addr),
                      sizeof addr),
            0);

  const auto [fd, err] = await_with_errno(vinyl::io::accept4(
      listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
  fd_closer accepted(fd);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(err, 0);
  EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(::fcntl(fd, F_GETFL) & O_NONBLOCK);
}

TEST(Io, AcceptFailures) {
  sockaddr_in addr;
  fd_closer not_listening = bound_socket(SOCK_STREAM, addr);
  EXPECT_EQ(await_with_errno(
                vinyl::io::accept(not_listening.get(), nullptr, nullptr)),
            failed(EINVAL));
  EXPECT_EQ(await_with_errno(vinyl::io::accept(closed_fd(), nullptr, nullptr)),
            failed(EBADF));

  fd_closer listener(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  sockaddr_in any = loopback();
  ASSERT_EQ(
      ::bind(listener.get(), reinterpret_cast<sockaddr *>(&any), sizeof any),
      0);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  EXPECT_EQ(
      await_with_errno(vinyl::io::accept4(listener.get(), nullptr, nullptr, 0)),
      failed(EAGAIN));
  EXPECT_EQ(await_with_errno(
                vinyl::io::accept4(listener.get(), nullptr, nullptr, -1)),
            failed(EINVAL));
}

TEST(Io, ConnectRefused) {
  // Bound but not listening: the kernel answers a SYN with a reset.
  sockaddr_in addr;
  fd_closer bound = bound_socket(SOCK_STREAM, addr);
  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_EQ(await_with_errno(vinyl::io::connect(
                client.get(), reinterpret_cast<const sockaddr *>(&addr),
                sizeof addr)),
            failed(ECONNREFUSED));
  EXPECT_EQ(
      await_with_errno(vinyl::io::connect(
          closed_fd(), reinterpret_cast<const sockaddr *>(&addr), sizeof addr)),
      failed(EBADF));
}

TEST(Io, Poll) {
  pipe_fds p;
  pollfd fds[] = {{p.read_end, POLLIN, 0}};
  EXPECT_EQ(await_with_errno(vinyl::io::poll(fds, 1, 0)), ok(0));
  ASSERT_EQ(::write(p.write_end, "x", 1), 1);
  EXPECT_EQ(await_with_errno(vinyl::io::poll(fds, 1, -1)), ok(1));
  EXPECT_TRUE(fds[0].revents & POLLIN);
}

TEST(Io, PollFailure) {
  // More descriptors than RLIMIT_NOFILE allows.
  EXPECT_EQ(await_with_errno(vinyl::io::poll(nullptr, ~nfds_t{0}, 0)),
            failed(EINVAL));
}

using steady = std::chrono::steady_clock;

TEST(Io, Sleep) {
  const auto start = steady::now();
  EXPECT_EQ(await_with_errno(vinyl::io::sleep(1)), ok(0));
  EXPECT_GE(steady::now() - start, 1s);
}

TEST(Io, Usleep) {
  const auto start = steady::now();
  EXPECT_EQ(await_with_errno(vinyl::io::usleep(20000)), ok(0));
  EXPECT_GE(steady::now() - start, 20ms);
}

TEST(Io, Nanosleep) {
  const timespec req{0, 20'000'000};
  timespec rem{};
  const auto start = steady::now();
  EXPECT_EQ(await_with_errno(vinyl::io::nanosleep(&req, &rem)), ok(0));
  EXPECT_GE(steady::now() - start, 20ms);

  const timespec invalid{0, 1'000'000'000};
  EXPECT_EQ(await_with_errno(vinyl::io::nanosleep(&invalid, nullptr)),
            failed(EINVAL));
}

TEST(Io, SleepFor) {
  auto body = []() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(20ms);
    co_await vinyl::io::sleep_for(std::chrono::duration<double>(0.01));
  };
  const auto start = steady::now();
  vinyl::block_on(body());
  EXPECT_GE(steady::now() - start, 30ms);
}

// sleep_for takes any std::chrono::duration without the runtime including
// <chrono>: its nanoseconds are computed from count() and the period, as
// std::chrono computes them (rounded up in async mode, toward zero as
// std::this_thread::sleep_for does in blocking mode), and capped.
template <class D> void expect_chrono_nanoseconds(D d) {
  using std::chrono::nanoseconds;
  constexpr long long century = 100LL * 365 * 24 * 3600 * 1'000'000'000;
  const long long up = d <= D::zero() ? 0
                       : d >= std::chrono::hours(24 * 365 * 100)
                           ? century
                           : std::chrono::ceil<nanoseconds>(d).count();
  EXPECT_EQ(vinyl::detail::duration_ns(d, true, century), up) << d.count();
  if (d > D::zero() && d < std::chrono::hours(24 * 365 * 100)) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(d);
    const auto ns = std::chrono::duration_cast<nanoseconds>(d - s);
    EXPECT_EQ(vinyl::detail::duration_ns(d, false, LLONG_MAX),
              s.count() * 1'000'000'000 + ns.count())
        << d.count();
  }
}

TEST(Io, SleepForTakesAnyChronoDuration) {
  using namespace std::chrono;
  for (long long n : {-5LL, 0LL, 1LL, 7LL, 999LL, 1'000'001LL,
                      123'456'789'012LL}) {
    expect_chrono_nanoseconds(nanoseconds(n));
    expect_chrono_nanoseconds(microseconds(n));
    expect_chrono_nanoseconds(milliseconds(n));
    expect_chrono_nanoseconds(seconds(n));
    expect_chrono_nanoseconds(duration<int, std::ratio<1, 3>>(
        static_cast<int>(n % 1'000'000'000)));
    // (std::chrono itself overflows beyond this count, the runtime does not)
    expect_chrono_nanoseconds(
        duration<long long, std::ratio<7, 1'000'003>>(n % 1'000'000'000));
    expect_chrono_nanoseconds(duration<unsigned, std::milli>(
        static_cast<unsigned>(n < 0 ? 0 : n % 1'000'000)));
  }
  expect_chrono_nanoseconds(minutes(3));
  expect_chrono_nanoseconds(hours(5));
  expect_chrono_nanoseconds(duration<double>(0.0100000001));
  expect_chrono_nanoseconds(duration<float, std::milli>(2.5f));
  expect_chrono_nanoseconds(duration<double>(-1.0));
  // Beyond a century: capped in async mode.
  EXPECT_EQ(vinyl::detail::duration_ns(hours::max(), true, 42), 42);
  EXPECT_EQ(vinyl::detail::duration_ns(duration<double>(1e300), true, 42), 42);
  EXPECT_EQ(vinyl::detail::duration_ns(seconds::max(), false, LLONG_MAX),
            LLONG_MAX);
  EXPECT_EQ(vinyl::detail::duration_ns(
                duration<long long, std::ratio<7, 1'000'003>>(123'456'789'012),
                true, LLONG_MAX),
            864'194'930'499'209); // 123456789012 * 7e9 / 1000003, rounded up
}

// Not only std::chrono: any type with count() and a period with num and den.
struct fiftieths {
  using period = std::ratio<1, 50>;
  int n;
  int count() const { return n; }
};

TEST(Io, SleepForADurationLikeType) {
  const auto start = steady::now();
  vinyl::block_on([]() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(fiftieths{1});
    co_await vinyl::io::sleep_for(std::chrono::duration<int, std::ratio<1, 50>>(1));
  }());
  EXPECT_GE(steady::now() - start, 40ms);
}

// Interrupts the blocking calls below with SIGALRM after 20 ms, the way a
// signal interrupts the real calls (no SA_RESTART). Not in async mode, where
// the sleeps are timers of the loop, which signals do not cut short.
class Interrupted : public ::testing::Test {
protected:
  void SetUp() override {
    if (vinyl::current_io_mode() == vinyl::io_mode::async)
      GTEST_SKIP() << "async mode: signals do not interrupt timers";
    struct sigaction action {};
    action.sa_handler = [](int) {};
    ASSERT_EQ(::sigaction(SIGALRM, &action, &old_action_), 0);
    const itimerval timer{{0, 0}, {0, 20'000}};
    ASSERT_EQ(::setitimer(ITIMER_REAL, &timer, nullptr), 0);
  }
  void TearDown() override {
    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    ::sigaction(SIGALRM, &old_action_, nullptr);
  }

private:
  struct sigaction old_action_ {};
};

TEST_F(Interrupted, SleepReturnsTheUnsleptSeconds) {
  const auto [unslept, err] = await_with_errno(vinyl::io::sleep(10));
  EXPECT_GT(unslept, 0u);
  EXPECT_LE(unslept, 10u);
  EXPECT_EQ(err, EINTR);
}

TEST_F(Interrupted, UsleepFailsWithEintr) {
  EXPECT_EQ(await_with_errno(vinyl::io::usleep(10'000'000)), failed(EINTR));
}

TEST_F(Interrupted, NanosleepReportsTheRemainder) {
  const timespec req{10, 0};
  timespec rem{};
  EXPECT_EQ(await_with_errno(vinyl::io::nanosleep(&req, &rem)), failed(EINTR));
  EXPECT_GT(rem.tv_sec + rem.tv_nsec, 0);
}

TEST_F(Interrupted, SleepForResumesAfterTheSignal) {
  const auto start = steady::now();
  vinyl::block_on(
      []() -> vinyl::task<void> { co_await vinyl::io::sleep_for(100ms); }());
  EXPECT_GE(steady::now() - start, 100ms);
}

} // namespace
