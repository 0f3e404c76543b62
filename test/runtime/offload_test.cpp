// Tests of vinyl::offload, the strand and vinyl::io::getaddrinfo: the
// call's value, errno and exceptions in every mode; in blocking mode the call
// runs on the calling thread, in async mode on a worker while the loop runs
// other tasks, with at most the pool's size of calls at once, and calls
// through one strand one at a time in order.
#include "test_support.hpp"

#include <vinyl/offload.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;

class Offload : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Offload,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncOffload : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncOffload,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

TEST_P(Offload, ValueAndErrnoAreTheCalls) {
  auto body = []() -> vinyl::task<std::pair<int, int>> {
    errno = 0;
    const int r = co_await vinyl::offload(::close, -1);
    co_return std::pair{r, errno};
  };
  const auto [r, error] = vinyl::block_on(body());
  EXPECT_EQ(r, -1);
  EXPECT_EQ(error, EBADF);
}

TEST_P(Offload, ExceptionComesOutOfTheAwait) {
  auto body = []() -> vinyl::task<std::string> {
    try {
      co_await vinyl::offload([] { throw std::runtime_error("from the call"); });
    } catch (const std::runtime_error &e) {
      co_return e.what();
    }
    co_return "nothing thrown";
  };
  EXPECT_EQ(vinyl::block_on(body()), "from the call");
}

int &element(std::vector<int> *v, std::size_t i) { return (*v)[i]; }

TEST_P(Offload, ReferencesVoidAndMoveOnlyArguments) {
  std::vector<int> v{1, 2, 3};
  auto body = [&]() -> vinyl::task<int> {
    int &r = co_await vinyl::offload(element, &v, std::size_t{1});
    r = 20;
    co_await vinyl::offload([](std::vector<int> *w) { w->push_back(4); }, &v);
    const int owned = co_await vinyl::offload(
        [](std::unique_ptr<int> p) { return *p; }, std::make_unique<int>(7));
    co_return owned;
  };
  EXPECT_EQ(vinyl::block_on(body()), 7);
  EXPECT_EQ(v, (std::vector<int>{1, 20, 3, 4}));
}

// Arguments are copies: a string built for the call outlives the
// full-expression.
TEST_P(Offload, ArgumentsAreCopied) {
  auto body = []() -> vinyl::task<std::size_t> {
    co_return co_await vinyl::offload(
        [](const std::string &s) { return s.size(); },
        std::string(1000, 'x'));
  };
  EXPECT_EQ(vinyl::block_on(body()), 1000u);
}

TEST_P(Offload, RunsHereInBlockingModeOnAWorkerInAsyncMode) {
  const pthread_t self = ::pthread_self();
  auto body = []() -> vinyl::task<std::pair<pthread_t, bool>> {
    co_return co_await vinyl::offload(
        [] { return std::pair{::pthread_self(), vinyl::on_event_loop()}; });
  };
  const auto [where, loop_there] = vinyl::block_on(body());
  EXPECT_EQ(::pthread_equal(where, self) != 0, !async());
  EXPECT_FALSE(loop_there);
}

TEST_P(Offload, GetaddrinfoOfANumericHost) {
  auto body = []() -> vinyl::task<std::string> {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo *res = nullptr;
    const int r =
        co_await vinyl::io::getaddrinfo("127.0.0.1", "8080", &hints, &res);
    if (r != 0)
      co_return gai_strerror(r);
    const auto *in = reinterpret_cast<const sockaddr_in *>(res->ai_addr);
    const std::string got = std::to_string(ntohs(in->sin_port));
    ::freeaddrinfo(res);
    co_return got;
  };
  EXPECT_EQ(vinyl::block_on(body()), "8080");
}

TEST_P(Offload, GetaddrinfoErrorIsTheCalls) {
  auto body = []() -> vinyl::task<int> {
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo *res = nullptr;
    co_return co_await vinyl::io::getaddrinfo("not-a-number", nullptr, &hints,
                                              &res);
  };
  EXPECT_EQ(vinyl::block_on(body()), EAI_NONAME);
}

// The loop goes on while the worker sleeps in the call.
TEST_P(AsyncOffload, LoopRunsOtherTasksDuringTheCall) {
  log_t log;
  auto slow = [&]() -> vinyl::task<int> {
    const int r = co_await vinyl::offload([] { return ::usleep(30'000); });
    log.push_back("offloaded call done");
    co_return r;
  };
  auto ticker = [&]() -> vinyl::task<int> {
    for (int i = 0; i != 3; ++i) {
      co_await vinyl::io::sleep_for(1ms);
      log.push_back("tick");
    }
    co_return 0;
  };
  const auto [r, t] = vinyl::run(vinyl::when_all(slow(), ticker()));
  EXPECT_EQ(r, 0);
  EXPECT_EQ(log, (log_t{"tick", "tick", "tick", "offloaded call done"}));
}

// Many calls at once share the pool: several run together, never more than
// the pool's size (8 by default).
TEST_P(AsyncOffload, ManyCallsShareABoundedPool) {
  std::atomic<int> running{0}, most{0};
  auto call = [&]() {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    ::usleep(5'000);
    --running;
    return 1;
  };
  auto body = [&]() -> vinyl::task<int> {
    std::vector<vinyl::join_handle> handles;
    std::vector<int> got(40);
    for (std::size_t i = 0; i != got.size(); ++i)
      handles.push_back(vinyl::spawn(
          [&call](int &out) -> vinyl::task<void> {
            out = co_await vinyl::offload(call);
          },
          std::ref(got[i])));
    for (auto &h : handles)
      co_await h.join();
    int sum = 0;
    for (int g : got)
      sum += g;
    co_return sum;
  };
  EXPECT_EQ(vinyl::run(body()), 40);
  EXPECT_GE(most.load(), 2);
  EXPECT_LE(most.load(), 8);
}

// Calls through one strand never overlap and run in the order they were
// offloaded, although several tasks offload them.
TEST_P(AsyncOffload, StrandRunsCallsOneAtATimeInOrder) {
  vinyl::offload_strand strand;
  std::atomic<bool> busy{false};
  std::vector<int> order;
  bool overlapped = false;
  auto call = [&](int i) {
    if (busy.exchange(true))
      overlapped = true;
    ::usleep(200);
    order.push_back(i);
    busy = false;
  };
  auto body = [&]() -> vinyl::task<void> {
    std::vector<vinyl::join_handle> handles;
    for (int i = 0; i != 30; ++i)
      handles.push_back(vinyl::spawn(
          [&](int n) -> vinyl::task<void> {
            co_await vinyl::offload(strand, call, n);
          },
          i));
    for (auto &h : handles)
      co_await h.join();
  };
  vinyl::run(body());
  EXPECT_FALSE(overlapped);
  std::vector<int> expected;
  for (int i = 0; i != 30; ++i)
    expected.push_back(i);
  EXPECT_EQ(order, expected);
}

// A forked child has no worker threads of its parent's; its offloads start
// workers of its own.
TEST_P(AsyncOffload, ForkedChildStartsItsOwnWorkers) {
#ifdef VINYL_TEST_TSAN
  // The point of the test is a thread started in the child of a process
  // with threads, which TSan refuses ("starting new threads after
  // multi-threaded fork is not supported", exit 66).
  GTEST_SKIP() << "ThreadSanitizer does not support threads started after "
                  "a fork of a multi-threaded process";
#endif
  auto one = []() -> vinyl::task<int> {
    co_return co_await vinyl::offload([] { return 1; });
  };
  EXPECT_EQ(vinyl::block_on(one()), 1);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int r = 0;
    try {
      r = vinyl::block_on(one());
    } catch (...) {
    }
    std::_Exit(r == 1 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

} // namespace
