// Tests of how a thread's event loop is reused and kept safe: a block_on
// nested in a task runs on the loop already there (and the loop's other
// tasks keep running), a cached loop is reused without a system call per
// block_on, and the loop's own descriptor sits out of the way of a program's
// small descriptor numbers, with a clear error when the program closes it
// anyway.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;

class AsyncReuse : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncReuse,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

template <class D>
vinyl::task<int> sleep_then(int value, D duration, log_t *log = nullptr,
                            const char *entry = nullptr) {
  co_await vinyl::io::sleep_for(duration);
  if (log)
    log->push_back(entry);
  co_return value;
}

// A synchronous facade called from a task on a loop: its block_on runs on
// that loop, so the other tasks go on while it waits, and no second loop is
// made.
TEST_P(AsyncReuse, NestedBlockOnServesTheOuterLoopsTasks) {
  log_t log;
  vinyl::detail::event_loop *outer_loop = nullptr;
  vinyl::detail::event_loop *inner_loop = nullptr;
  auto inner = [&]() -> vinyl::task<int> {
    inner_loop = vinyl::detail::tls_loop;
    co_return co_await sleep_then(5, 40ms);
  };
  auto facade = [&]() -> int {
    log.push_back("facade");
    const int r = vinyl::block_on(inner());
    log.push_back("facade done");
    return r;
  };
  auto caller = [&]() -> vinyl::task<int> {
    outer_loop = vinyl::detail::tls_loop;
    co_await vinyl::io::sleep_for(1ms);
    co_return facade();
  };
  const auto [r, u] = vinyl::run(
      vinyl::when_all(caller(), sleep_then(0, 5ms, &log, "other")));
  EXPECT_EQ(r, 5);
  EXPECT_EQ(log, (log_t{"facade", "other", "facade done"}));
  ASSERT_NE(outer_loop, nullptr);
  EXPECT_EQ(inner_loop, outer_loop);
}

// block_on of a leaf's awaitable (what the tool writes where a constructor
// calls a leaf) from a task: the read waits on the loop, whose other task
// writes what it reads; a read made on the thread would wait forever.
TEST_P(AsyncReuse, BlockOnOfALeafServesTheOuterLoopsTasks) {
  pipe_fds p;
  log_t log;
  char got = 0;
  auto constructor_like = [&]() -> long {
    log.push_back("read");
    const long n = vinyl::block_on(vinyl::io::read(p.read_end, &got, 1));
    log.push_back("read done");
    return n;
  };
  auto reader = [&]() -> vinyl::task<long> {
    co_await vinyl::io::sleep_for(1ms);
    co_return constructor_like();
  };
  auto writer = [&]() -> vinyl::task<long> {
    co_await vinyl::io::sleep_for(20ms);
    log.push_back("write");
    co_return co_await vinyl::io::write(p.write_end, "x", 1);
  };
  const auto [n, w] = vinyl::run(vinyl::when_all(reader(), writer()));
  EXPECT_EQ(n, 1);
  EXPECT_EQ(w, 1);
  EXPECT_EQ(got, 'x');
  EXPECT_EQ(log, (log_t{"read", "write", "read done"}));
}

// Facades nested in facades, each waiting while the others' tasks run.
TEST_P(AsyncReuse, NestedBlockOnsInsideEachOther) {
  log_t log;
  auto level2 = [&]() -> vinyl::task<int> {
    co_return co_await sleep_then(2, 20ms, &log, "level2");
  };
  auto level1 = [&]() -> vinyl::task<int> {
    const int inner = vinyl::block_on(level2());
    log.push_back("level1");
    co_return inner + 1;
  };
  auto root = [&]() -> vinyl::task<int> {
    // Suspends first, so that when_all starts the other task.
    co_await vinyl::io::sleep_for(1ms);
    const int r = vinyl::block_on(level1());
    log.push_back("root");
    co_return r;
  };
  const auto [r, u] =
      vinyl::run(vinyl::when_all(root(), sleep_then(0, 5ms, &log, "other")));
  EXPECT_EQ(r, 3);
  EXPECT_EQ(log, (log_t{"other", "level2", "level1", "root"}));
}

// A nested block_on whose task can never finish reports a deadlock to its
// caller; the outer run goes on and finishes its own work.
TEST_P(AsyncReuse, NestedDeadlockIsReportedToTheFacade) {
  auto stuck = []() -> vinyl::task<int> {
    co_await std::suspend_always{};
    co_return 0;
  };
  auto body = [&]() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(1ms);
    bool threw = false;
    try {
      (void)vinyl::block_on(stuck());
    } catch (const vinyl::deadlock &) {
      threw = true;
    }
    co_return threw ? co_await sleep_then(7, 1ms) : -1;
  };
  EXPECT_EQ(vinyl::run(body()), 7);
}

// An idle loop is kept for the thread's next block_on, which takes it back
// without asking the process id (a forked child still gets its own loop:
// ForkedChildGetsALoopOfItsOwn). getpid kills the process here once the
// first loop exists.
TEST_P(AsyncReuse, CachedLoopIsReusedWithoutASystemCallPerBlockOn) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const io_config config = GetParam();
  EXPECT_EXIT(
      {
        vinyl::set_io_mode(config.mode);
        vinyl::set_io_backend(config.backend);
        (void)vinyl::block_on(sleep_then(1, 1ms));
        vinyl::detail::event_loop *cached = vinyl::detail::tls_idle_loop.loop;
        forbid_syscall(__NR_getpid, SECCOMP_RET_KILL_PROCESS);
        int sum = 0;
        for (int i = 0; i != 100; ++i)
          sum += vinyl::block_on(sleep_then(1, 0ms));
        std::_Exit(sum == 100 && cached &&
                           vinyl::detail::tls_idle_loop.loop == cached
                       ? 0
                       : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// The loop's descriptor is placed in the top quarter of the descriptor
// limit, where a program that assumes small numbers are its own does not
// meet it.
TEST_P(AsyncReuse, LoopDescriptorIsHigh) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur < 134)
    GTEST_SKIP() << "descriptor limit too low to place the loop high";
  auto descriptor = []() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(0ms);
    co_return vinyl::detail::tls_loop->descriptor();
  };
  const int fd = vinyl::run(descriptor());
  EXPECT_GE(static_cast<rlim_t>(fd), limit.rlim_cur - limit.rlim_cur / 4);
  EXPECT_EQ(::fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

// A program that closes the loop's descriptor anyway gets an error that
// says so, not a wrong errno from every leaf afterwards; the next run gets
// a fresh loop.
TEST_P(AsyncReuse, ClosedLoopDescriptorIsAClearError) {
  auto closes_the_loop = []() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(0ms);
    ::close(vinyl::detail::tls_loop->descriptor());
    co_await vinyl::io::sleep_for(1ms);
    co_return 1;
  };
  try {
    (void)vinyl::run(closes_the_loop());
    ADD_FAILURE() << "no exception";
  } catch (const vinyl::os_error &e) {
    EXPECT_EQ(e.code(), EBADF);
    EXPECT_NE(std::string(e.what()).find(
                  "vinyl: the program closed or replaced the event loop's "
                  "descriptor "),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(vinyl::run(sleep_then(2, 1ms)), 2);
}

} // namespace
