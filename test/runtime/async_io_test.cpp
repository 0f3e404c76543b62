// Tests of the vinyl::io leaves in async mode, on each backend, where they
// must wait: every test has a task await a call that cannot complete until
// another task of the same thread acts (writes, connects, drains, or time
// passes). In blocking mode these tests would hang, which is what makes each
// able to fail; ctest bounds them with a timeout. An event log records the
// order in which things happened, and that order is what is checked.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;
using steady = std::chrono::steady_clock;

class AsyncIo : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncIo,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

TEST_P(AsyncIo, UsesTheRequestedBackend) {
  const vinyl::io_backend backend =
      vinyl::run([]() -> vinyl::task<vinyl::io_backend> {
        co_return vinyl::detail::tls_loop->backend();
      }());
  EXPECT_EQ(backend, GetParam().backend);
}

TEST_P(AsyncIo, ReadWaitsForAWrite) {
  pipe_fds p;
  log_t log;
  auto reader = [&]() -> vinyl::task<ssize_t> {
    log.push_back("read");
    char buf[8] = {};
    const ssize_t n = co_await vinyl::io::read(p.read_end, buf, sizeof buf);
    log.push_back(std::string("got ") + buf);
    co_return n;
  };
  auto writer = [&]() -> vinyl::task<ssize_t> {
    log.push_back("write");
    co_return co_await vinyl::io::write(p.write_end, "abc", 3);
  };
  const auto [read, written] = vinyl::run(vinyl::when_all(reader(), writer()));
  EXPECT_EQ(read, 3);
  EXPECT_EQ(written, 3);
  EXPECT_EQ(log, (log_t{"read", "write", "got abc"}));
}

// A blocking write(2) returns only once everything is written: the loop
// keeps writing after the partial writes a full pipe allows.
TEST_P(AsyncIo, WriteWaitsForRoomAndWritesEverything) {
  pipe_fds p;
  const std::size_t filled = fill_pipe(p.write_end);
  ASSERT_GT(filled, 0u);

  const std::string big(256 * 1024, 'w');
  log_t log;
  auto writer = [&]() -> vinyl::task<ssize_t> {
    log.push_back("write");
    const ssize_t n =
        co_await vinyl::io::write(p.write_end, big.data(), big.size());
    log.push_back("written");
    co_return n;
  };
  auto drainer = [&]() -> vinyl::task<std::size_t> {
    log.push_back("drain");
    std::size_t total = 0;
    std::vector<char> buf(16384);
    while (total < filled + big.size()) {
      const ssize_t n =
          co_await vinyl::io::read(p.read_end, buf.data(), buf.size());
      if (n <= 0)
        break;
      total += static_cast<std::size_t>(n);
    }
    co_return total;
  };
  const auto [written, drained] =
      vinyl::run(vinyl::when_all(writer(), drainer()));
  EXPECT_EQ(written, static_cast<ssize_t>(big.size()));
  EXPECT_EQ(drained, filled + big.size());
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0], "write");
  EXPECT_EQ(log[1], "drain");
}

TEST_P(AsyncIo, PreadPwriteOnAFile) {
  char path[] = "/tmp/vinyl_async_io_test_XXXXXX";
  fd_closer file(::mkstemp(path));
  ASSERT_GE(file.get(), 0);
  ::unlink(path);
  auto body = [&]() -> vinyl::task<std::string> {
    EXPECT_EQ(co_await vinyl::io::pwrite(file.get(), "world", 5, 10), 5);
    char buf[8] = {};
    EXPECT_EQ(co_await vinyl::io::pread(file.get(), buf, 5, 10), 5);
    co_return std::string(buf);
  };
  EXPECT_EQ(vinyl::run(body()), "world");
  EXPECT_EQ(::lseek(file.get(), 0, SEEK_CUR), 0);
}

TEST_P(AsyncIo, RecvWaitsForASend) {
  socket_pair s;
  log_t log;
  auto receiver = [&]() -> vinyl::task<ssize_t> {
    log.push_back("recv");
    char buf[8] = {};
    const ssize_t n = co_await vinyl::io::recv(s.b, buf, sizeof buf, 0);
    log.push_back(std::string("got ") + buf);
    co_return n;
  };
  auto sender = [&]() -> vinyl::task<ssize_t> {
    log.push_back("send");
    co_return co_await vinyl::io::send(s.a, "ping", 4, 0);
  };
  const auto [received, sent] =
      vinyl::run(vinyl::when_all(receiver(), sender()));
  EXPECT_EQ(received, 4);
  EXPECT_EQ(sent, 4);
  EXPECT_EQ(log, (log_t{"recv", "send", "got ping"}));
}

TEST_P(AsyncIo, LargeSendIsWrittenCompletely) {
  socket_pair s;
  const std::string big(1 << 20, 's');
  auto sender = [&]() -> vinyl::task<ssize_t> {
    co_return co_await vinyl::io::send(s.a, big.data(), big.size(), 0);
  };
  auto receiver = [&]() -> vinyl::task<std::size_t> {
    std::size_t total = 0;
    std::vector<char> buf(65536);
    while (total < big.size()) {
      const ssize_t n =
          co_await vinyl::io::recv(s.b, buf.data(), buf.size(), 0);
      if (n <= 0)
        break;
      total += static_cast<std::size_t>(n);
    }
    co_return total;
  };
  const auto [sent, received] =
      vinyl::run(vinyl::when_all(sender(), receiver()));
  EXPECT_EQ(sent, static_cast<ssize_t>(big.size()));
  EXPECT_EQ(received, big.size());
}

// MSG_WAITALL: the receive returns once the buffer is full, although the
// data came in two sends with a wait between them, and half of it was there
// when the receive started.
TEST_P(AsyncIo, RecvWaitallWaitsForTheWholeBuffer) {
  socket_pair s;
  log_t log;
  auto receiver = [&]() -> vinyl::task<std::string> {
    char buf[9] = {};
    const ssize_t n = co_await vinyl::io::recv(s.b, buf, 8, MSG_WAITALL);
    log.push_back("received " + std::to_string(n));
    co_return buf;
  };
  auto sender = [&]() -> vinyl::task<void> {
    EXPECT_EQ(co_await vinyl::io::send(s.a, "abcd", 4, 0), 4);
    co_await vinyl::io::sleep_for(5ms);
    log.push_back("second send");
    EXPECT_EQ(co_await vinyl::io::send(s.a, "efgh", 4, 0), 4);
  };
  const auto [u, got] = vinyl::run(vinyl::when_all(sender(), receiver()));
  EXPECT_EQ(got, "abcdefgh");
  EXPECT_EQ(log, (log_t{"second send", "received 8"}));
}

TEST_P(AsyncIo, RecvfromWaitsForADatagram) {
  sockaddr_in server_addr, client_addr;
  fd_closer server = bound_socket(SOCK_DGRAM, server_addr);
  fd_closer client = bound_socket(SOCK_DGRAM, client_addr);
  log_t log;
  sockaddr_in from{};
  socklen_t from_len = sizeof from;
  auto receiver = [&]() -> vinyl::task<ssize_t> {
    log.push_back("recvfrom");
    char buf[16] = {};
    const ssize_t n = co_await vinyl::io::recvfrom(
        server.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr *>(&from),
        &from_len);
    log.push_back(std::string("got ") + buf);
    co_return n;
  };
  auto sender = [&]() -> vinyl::task<ssize_t> {
    log.push_back("sendto");
    co_return co_await vinyl::io::sendto(client.get(), "datagram", 8, 0,
                                         as_sockaddr(server_addr),
                                         sizeof server_addr);
  };
  const auto [received, sent] =
      vinyl::run(vinyl::when_all(receiver(), sender()));
  EXPECT_EQ(received, 8);
  EXPECT_EQ(sent, 8);
  EXPECT_EQ(log, (log_t{"recvfrom", "sendto", "got datagram"}));
  EXPECT_EQ(from_len, sizeof from);
  EXPECT_EQ(from.sin_port, client_addr.sin_port);
}

TEST_P(AsyncIo, AcceptWaitsForAConnect) {
  sockaddr_in addr;
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  log_t log;
  sockaddr_in peer{};
  socklen_t peer_len = sizeof peer;
  auto acceptor = [&]() -> vinyl::task<std::string> {
    log.push_back("accept");
    fd_closer conn(co_await vinyl::io::accept(
        listener.get(), reinterpret_cast<sockaddr *>(&peer), &peer_len));
    log.push_back("accepted");
    EXPECT_GE(conn.get(), 0);
    char buf[8] = {};
    EXPECT_EQ(co_await vinyl::io::recv(conn.get(), buf, sizeof buf, 0), 2);
    co_return buf;
  };
  auto connector = [&]() -> vinyl::task<int> {
    log.push_back("connect");
    const int r = co_await vinyl::io::connect(client.get(), as_sockaddr(addr),
                                              sizeof addr);
    EXPECT_EQ(co_await vinyl::io::send(client.get(), "hi", 2, 0), 2);
    co_return r;
  };
  const auto [got, connected] =
      vinyl::run(vinyl::when_all(acceptor(), connector()));
  EXPECT_EQ(connected, 0);
  EXPECT_EQ(got, "hi");
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[0], "accept");
  EXPECT_EQ(log[1], "connect");
  EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
}

TEST_P(AsyncIo, Accept4WaitsAndAppliesFlags) {
  sockaddr_in addr;
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  auto acceptor = [&]() -> vinyl::task<int> {
    co_return co_await vinyl::io::accept4(listener.get(), nullptr, nullptr,
                                          SOCK_CLOEXEC | SOCK_NONBLOCK);
  };
  auto connector = [&]() -> vinyl::task<int> {
    co_return co_await vinyl::io::connect(client.get(), as_sockaddr(addr),
                                          sizeof addr);
  };
  const auto [fd, connected] =
      vinyl::run(vinyl::when_all(acceptor(), connector()));
  fd_closer accepted(fd);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(connected, 0);
  EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(::fcntl(fd, F_GETFL) & O_NONBLOCK);
}

TEST_P(AsyncIo, ConnectToAClosedPortFails) {
  sockaddr_in addr;
  fd_closer bound = bound_socket(SOCK_STREAM, addr);
  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  auto body = [&]() -> vinyl::task<int> {
    errno = 0;
    const int r = co_await vinyl::io::connect(client.get(), as_sockaddr(addr),
                                              sizeof addr);
    co_return r == -1 ? errno : 0;
  };
  EXPECT_EQ(vinyl::run(body()), ECONNREFUSED);
}

TEST_P(AsyncIo, PollWaitsForReadiness) {
  pipe_fds p;
  log_t log;
  pollfd fds[] = {{p.read_end, POLLIN, 0}};
  auto poller = [&]() -> vinyl::task<int> {
    log.push_back("poll");
    const int n = co_await vinyl::io::poll(fds, 1, -1);
    log.push_back("ready");
    co_return n;
  };
  auto writer = [&]() -> vinyl::task<ssize_t> {
    log.push_back("write");
    co_return co_await vinyl::io::write(p.write_end, "x", 1);
  };
  const auto [n, written] = vinyl::run(vinyl::when_all(poller(), writer()));
  EXPECT_EQ(n, 1);
  EXPECT_EQ(written, 1);
  EXPECT_TRUE(fds[0].revents & POLLIN);
  EXPECT_EQ(log, (log_t{"poll", "write", "ready"}));
}

TEST_P(AsyncIo, PollOfSeveralDescriptorsReportsTheReadyOne) {
  pipe_fds quiet, busy;
  pollfd fds[] = {
      {quiet.read_end, POLLIN, 0}, {-1, POLLIN, 0}, {busy.read_end, POLLIN, 0}};
  auto poller = [&]() -> vinyl::task<int> {
    co_return co_await vinyl::io::poll(fds, 3, 10'000);
  };
  auto writer = [&]() -> vinyl::task<ssize_t> {
    co_await vinyl::io::sleep_for(5ms);
    co_return co_await vinyl::io::write(busy.write_end, "x", 1);
  };
  const auto [n, written] = vinyl::run(vinyl::when_all(poller(), writer()));
  EXPECT_EQ(n, 1);
  EXPECT_EQ(fds[0].revents, 0);
  EXPECT_EQ(fds[1].revents, 0);
  EXPECT_TRUE(fds[2].revents & POLLIN);
}

TEST_P(AsyncIo, PollTimesOut) {
  pipe_fds p;
  pollfd fds[] = {{p.read_end, POLLIN, 0}};
  const auto start = steady::now();
  EXPECT_EQ(vinyl::run([&]() -> vinyl::task<int> {
              co_return co_await vinyl::io::poll(fds, 1, 30);
            }()),
            0);
  EXPECT_GE(steady::now() - start, 30ms);
  EXPECT_EQ(fds[0].revents, 0);
}

// poll of no descriptor, or of negative ones only, sleeps for its timeout.
TEST_P(AsyncIo, PollOfNothingSleeps) {
  pollfd ignored[] = {{-1, POLLIN, 0}};
  const auto start = steady::now();
  auto body = [&]() -> vinyl::task<int> {
    const int none = co_await vinyl::io::poll(nullptr, 0, 10);
    const int negative = co_await vinyl::io::poll(ignored, 1, 10);
    co_return none == 0 && negative == 0 ? 0 : -1;
  };
  EXPECT_EQ(vinyl::run(body()), 0);
  EXPECT_GE(steady::now() - start, 20ms);
  EXPECT_EQ(ignored[0].revents, 0);
}

// Timers end in the order of their deadlines, whatever the order they
// started in, and other tasks run while they wait.
TEST_P(AsyncIo, SleepsEndInDeadlineOrder) {
  log_t log;
  auto sleeper_for = [&]() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(60ms);
    log.push_back("sleep_for 60ms");
  };
  auto nanosleeper = [&]() -> vinyl::task<int> {
    const timespec req{0, 40'000'000};
    const int r = co_await vinyl::io::nanosleep(&req, nullptr);
    log.push_back("nanosleep 40ms");
    co_return r;
  };
  auto usleeper = [&]() -> vinyl::task<int> {
    const int r = co_await vinyl::io::usleep(20'000);
    log.push_back("usleep 20ms");
    co_return r;
  };
  auto immediate = [&]() -> vinyl::task<void> {
    log.push_back("not waiting");
    co_return;
  };
  const auto start = steady::now();
  const auto [u1, n, u2, u3] = vinyl::run(
      vinyl::when_all(sleeper_for(), nanosleeper(), usleeper(), immediate()));
  EXPECT_GE(steady::now() - start, 60ms);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(u2, 0);
  EXPECT_EQ(log, (log_t{"not waiting", "usleep 20ms", "nanosleep 40ms",
                        "sleep_for 60ms"}));
}

TEST_P(AsyncIo, SleepReturnsZero) {
  const auto start = steady::now();
  EXPECT_EQ(vinyl::run([]() -> vinyl::task<unsigned> {
              co_return co_await vinyl::io::sleep(1);
            }()),
            0u);
  EXPECT_GE(steady::now() - start, 1s);
}

// A successful call leaves errno as the caller had it, although other tasks
// ran, and changed errno, while it waited.
TEST_P(AsyncIo, SuccessLeavesErrnoAlone) {
  pipe_fds p;
  auto reader = [&]() -> vinyl::task<int> {
    errno = EDOM;
    char c;
    EXPECT_EQ(co_await vinyl::io::read(p.read_end, &c, 1), 1);
    co_return errno;
  };
  auto writer = [&]() -> vinyl::task<void> {
    errno = ERANGE;
    EXPECT_EQ(co_await vinyl::io::write(p.write_end, "x", 1), 1);
  };
  const auto [error, u] = vinyl::run(vinyl::when_all(reader(), writer()));
  EXPECT_EQ(error, EDOM);
}

// One thread, 1000 connections: each echo server waits in recv for a client
// that has not run yet, which only an event loop can serve.
TEST_P(AsyncIo, ThousandSocketpairsPingPongOnOneThread) {
  constexpr int pairs = 1000;
  constexpr int rounds = 10;
  ASSERT_GE(raise_fd_limit(2 * pairs + 64), 2u * pairs + 64)
      << "the descriptor limit is too low for this test";
  std::vector<std::unique_ptr<socket_pair>> sockets;
  for (int i = 0; i != pairs; ++i)
    sockets.push_back(std::make_unique<socket_pair>());

  auto echo = [](int fd) -> vinyl::task<int> {
    int echoed = 0;
    char buf[16];
    for (;;) {
      const ssize_t n = co_await vinyl::io::recv(fd, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      if (co_await vinyl::io::send(fd, buf, static_cast<std::size_t>(n), 0) !=
          n)
        break;
      ++echoed;
    }
    co_return echoed;
  };
  auto client = [](int fd, int id) -> vinyl::task<int> {
    int answered = 0;
    for (int r = 0; r != rounds; ++r) {
      const std::string msg = std::to_string(id) + ":" + std::to_string(r);
      if (co_await vinyl::io::send(fd, msg.data(), msg.size(), 0) !=
          static_cast<ssize_t>(msg.size()))
        break;
      char buf[16] = {};
      const ssize_t n = co_await vinyl::io::recv(fd, buf, sizeof buf - 1, 0);
      if (n <= 0 || msg != buf)
        break;
      ++answered;
    }
    ::shutdown(fd, SHUT_WR);
    co_return answered;
  };

  std::vector<vinyl::task<int>> tasks;
  for (int i = 0; i != pairs; ++i)
    tasks.push_back(echo(sockets[i]->b));
  for (int i = 0; i != pairs; ++i)
    tasks.push_back(client(sockets[i]->a, i));
  const std::vector<int> counts = vinyl::run(vinyl::when_all(std::move(tasks)));
  ASSERT_EQ(counts.size(), 2u * pairs);
  for (int count : counts)
    EXPECT_EQ(count, rounds);
}

} // namespace
