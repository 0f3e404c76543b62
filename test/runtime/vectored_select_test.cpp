// Tests of the vectored leaves (readv, writev, recvmsg, sendmsg) and of
// select: the same values, errno and side effects (segments filled in order,
// ancillary data, descriptor sets and the time not slept) in every mode, and
// in async mode a wait that other tasks of the thread end.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;

class Vectored : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Vectored,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncVectored : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncVectored,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

struct outcome {
  long long value;
  int error;
};

template <class Awaitable> vinyl::task<outcome> call(Awaitable a) {
  errno = 0;
  const long long value = co_await a;
  co_return outcome{value, value < 0 ? errno : 0};
}

template <class Awaitable> outcome run_call(Awaitable a) {
  return vinyl::block_on(call(std::move(a)));
}

TEST_P(Vectored, WritevThenReadvFillSegmentsInOrder) {
  pipe_fds p;
  char a[] = "hello ", b[] = "vectored ", c[] = "world";
  iovec out[] = {{a, 6}, {b, 9}, {c, 5}};
  EXPECT_EQ(run_call(vinyl::io::writev(p.write_end, out, 3)).value, 20);
  char x[4] = {}, y[10] = {}, z[10] = {};
  iovec in[] = {{x, 3}, {y, 9}, {z, 10}};
  EXPECT_EQ(run_call(vinyl::io::readv(p.read_end, in, 3)).value, 20);
  EXPECT_EQ(std::string(x), "hel");
  EXPECT_EQ(std::string(y), "lo vector");
  EXPECT_EQ(std::string(z), "ed world");
}

TEST_P(Vectored, ErrorsAreTheCallsErrors) {
  char buf[4];
  iovec one[] = {{buf, sizeof buf}};
  const outcome bad_fd = run_call(vinyl::io::readv(closed_fd(), one, 1));
  EXPECT_EQ(bad_fd.value, -1);
  EXPECT_EQ(bad_fd.error, EBADF);
  pipe_fds p;
  const outcome bad_count = run_call(vinyl::io::writev(p.write_end, one, -1));
  EXPECT_EQ(bad_count.value, -1);
  EXPECT_EQ(bad_count.error, EINVAL);
  socket_pair s;
  const outcome null_msg = run_call(vinyl::io::sendmsg(s.a, nullptr, 0));
  EXPECT_EQ(null_msg.value, -1);
  EXPECT_EQ(null_msg.error, EFAULT);
}

// A descriptor travels as SCM_RIGHTS ancillary data, with two segments of
// payload.
TEST_P(Vectored, SendmsgAndRecvmsgCarryADescriptor) {
  socket_pair s;
  pipe_fds passed;
  char head[] = "ab", tail[] = "cd";
  iovec out[] = {{head, 2}, {tail, 2}};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = out;
  msg.msg_iovlen = 2;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &passed.write_end, sizeof(int));
  EXPECT_EQ(run_call(vinyl::io::sendmsg(s.a, &msg, 0)).value, 4);

  char got[8] = {};
  iovec in[] = {{got, sizeof got}};
  alignas(cmsghdr) char received[CMSG_SPACE(sizeof(int))] = {};
  msghdr rmsg{};
  rmsg.msg_iov = in;
  rmsg.msg_iovlen = 1;
  rmsg.msg_control = received;
  rmsg.msg_controllen = sizeof received;
  EXPECT_EQ(run_call(vinyl::io::recvmsg(s.b, &rmsg, 0)).value, 4);
  EXPECT_EQ(std::string(got), "abcd");
  cmsghdr *rc = CMSG_FIRSTHDR(&rmsg);
  ASSERT_NE(rc, nullptr);
  ASSERT_EQ(rc->cmsg_type, SCM_RIGHTS);
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(rc), sizeof fd);
  fd_closer copy(fd);
  // The received descriptor is the pipe's write end.
  struct stat mine {}, theirs {};
  ASSERT_EQ(::fstat(passed.write_end, &mine), 0);
  ASSERT_EQ(::fstat(fd, &theirs), 0);
  EXPECT_EQ(mine.st_ino, theirs.st_ino);
}

TEST_P(Vectored, SelectReportsTheReadyDescriptor) {
  pipe_fds quiet, busy;
  ASSERT_EQ(::write(busy.write_end, "x", 1), 1);
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(quiet.read_end, &readable);
  FD_SET(busy.read_end, &readable);
  const int nfds =
      (quiet.read_end > busy.read_end ? quiet.read_end : busy.read_end) + 1;
  timeval timeout{5, 0};
  const outcome r = run_call(
      vinyl::io::select(nfds, &readable, nullptr, nullptr, &timeout));
  EXPECT_EQ(r.value, 1);
  EXPECT_TRUE(FD_ISSET(busy.read_end, &readable));
  EXPECT_FALSE(FD_ISSET(quiet.read_end, &readable));
  // Linux writes back the time not slept: nearly all of it.
  EXPECT_GE(timeout.tv_sec, 4);
}

TEST_P(Vectored, SelectTimesOutWithEmptySets) {
  pipe_fds p;
  fd_set readable, writable;
  FD_ZERO(&readable);
  FD_ZERO(&writable);
  FD_SET(p.read_end, &readable);
  timeval timeout{0, 20'000};
  const auto start = std::chrono::steady_clock::now();
  const outcome r = run_call(
      vinyl::io::select(p.read_end + 1, &readable, &writable, nullptr,
                        &timeout));
  EXPECT_EQ(r.value, 0);
  EXPECT_FALSE(FD_ISSET(p.read_end, &readable));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_EQ(timeout.tv_sec, 0);
  EXPECT_EQ(timeout.tv_usec, 0);
}

TEST_P(Vectored, SelectOfAClosedDescriptorIsEbadf) {
  const int fd = closed_fd();
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(fd, &readable);
  timeval timeout{1, 0};
  const outcome r =
      run_call(vinyl::io::select(fd + 1, &readable, nullptr, nullptr, &timeout));
  EXPECT_EQ(r.value, -1);
  EXPECT_EQ(r.error, EBADF);
}

TEST_P(Vectored, SelectWritableSocket) {
  socket_pair s;
  fd_set writable;
  FD_ZERO(&writable);
  FD_SET(s.a, &writable);
  const outcome r =
      run_call(vinyl::io::select(s.a + 1, nullptr, &writable, nullptr, nullptr));
  EXPECT_EQ(r.value, 1);
  EXPECT_TRUE(FD_ISSET(s.a, &writable));
}

// A blocking writev into a full pipe writes everything, segment after
// segment, while another task drains the pipe.
TEST_P(AsyncVectored, WritevWaitsForRoomAndWritesEverything) {
  pipe_fds p;
  const std::size_t filled = fill_pipe(p.write_end);
  ASSERT_GT(filled, 0u);

  std::string first(100'000, 'a'), second(150'000, 'b'), third(7, 'c');
  iovec out[] = {{first.data(), first.size()},
                 {second.data(), second.size()},
                 {third.data(), third.size()}};
  const std::size_t total = first.size() + second.size() + third.size();
  log_t log;
  auto writer = [&]() -> vinyl::task<ssize_t> {
    log.push_back("writev");
    const ssize_t n = co_await vinyl::io::writev(p.write_end, out, 3);
    log.push_back("written");
    co_return n;
  };
  auto drainer = [&]() -> vinyl::task<std::string> {
    log.push_back("drain");
    std::string got;
    std::vector<char> buf(16384);
    while (got.size() < filled + total) {
      const ssize_t n =
          co_await vinyl::io::read(p.read_end, buf.data(), buf.size());
      if (n <= 0)
        break;
      got.append(buf.data(), static_cast<std::size_t>(n));
    }
    co_return got;
  };
  const auto [written, drained] =
      vinyl::run(vinyl::when_all(writer(), drainer()));
  EXPECT_EQ(written, static_cast<ssize_t>(total));
  ASSERT_EQ(drained.size(), filled + total);
  EXPECT_EQ(drained.substr(filled), first + second + third);
  EXPECT_EQ(log[0], "writev");
  EXPECT_EQ(log[1], "drain");
}

// recvmsg with MSG_WAITALL fills every segment although the data comes in
// pieces.
TEST_P(AsyncVectored, RecvmsgWaitallWaitsForEverySegment) {
  socket_pair s;
  char x[3] = {}, y[5] = {};
  iovec in[] = {{x, 2}, {y, 4}};
  msghdr msg{};
  msg.msg_iov = in;
  msg.msg_iovlen = 2;
  auto reader = [&]() -> vinyl::task<ssize_t> {
    co_return co_await vinyl::io::recvmsg(s.a, &msg, MSG_WAITALL);
  };
  auto writer = [&]() -> vinyl::task<int> {
    for (const char *piece : {"a", "bc", "def"}) {
      co_await vinyl::io::sleep_for(2ms);
      (void)::write(s.b, piece, std::strlen(piece));
    }
    co_return 0;
  };
  const auto [n, w] = vinyl::run(vinyl::when_all(reader(), writer()));
  EXPECT_EQ(n, 6);
  EXPECT_EQ(std::string(x), "ab");
  EXPECT_EQ(std::string(y), "cdef");
}

TEST_P(AsyncVectored, SelectWaitsWhileOtherTasksRun) {
  pipe_fds p;
  log_t log;
  auto waiter = [&]() -> vinyl::task<int> {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(p.read_end, &readable);
    log.push_back("select");
    const int r = co_await vinyl::io::select(p.read_end + 1, &readable,
                                             nullptr, nullptr, nullptr);
    log.push_back("ready");
    co_return r == 1 && FD_ISSET(p.read_end, &readable) ? 1 : 0;
  };
  auto writer = [&]() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(5ms);
    log.push_back("write");
    co_return static_cast<int>(::write(p.write_end, "x", 1));
  };
  const auto [r, w] = vinyl::run(vinyl::when_all(waiter(), writer()));
  EXPECT_EQ(r, 1);
  EXPECT_EQ(log, (log_t{"select", "write", "ready"}));
}

} // namespace
