// Tests of vinyl::join_handle, what vinyl::spawn returns: join() waits for
// the spawned work in blocking mode (a thread) and in async mode on each
// backend (a task of the loop), a handle dropped unjoined detaches, and the
// handle behaves as std::thread does when moved, detached or joined twice.
// Each test checks values or the order of events that only a working join
// produces: a join that returned early would see the work unfinished.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <coroutine>
#include <functional>
#include <memory>
#include <cstring>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <pthread.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;

static_assert(!std::is_copy_constructible_v<vinyl::join_handle>);
static_assert(!std::is_copy_assignable_v<vinyl::join_handle>);
static_assert(std::is_nothrow_move_constructible_v<vinyl::join_handle>);
static_assert(std::is_nothrow_move_assignable_v<vinyl::join_handle>);
static_assert(std::is_same_v<decltype(vinyl::spawn(std::declval<
                                                   vinyl::task<int>>())),
                             vinyl::join_handle>);

class Join : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Join,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncJoin : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncJoin,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// Sleeps, then writes: a join that does not wait reads the old value.
vinyl::task<int> sleep_then_store(std::atomic<int> &out, int value,
                                  std::chrono::milliseconds delay) {
  co_await vinyl::io::sleep_for(delay);
  out = value;
  co_return value; // dropped by the join, as a thread function's result is
}

class JoinBlocking : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Mode, JoinBlocking, ::testing::Values(blocking),
                         config_name_printer());

// In blocking mode spawn starts a thread; join waits until it has exited.
TEST_P(JoinBlocking, WaitsForAThreadThatSleepsAndWrites) {
  std::atomic<int> value{0};
  pthread_t spawned{};
  auto body = [&]() -> vinyl::task<int> {
    vinyl::join_handle h = vinyl::spawn(
        [&]() -> vinyl::task<void> {
          spawned = ::pthread_self();
          co_await sleep_then_store(value, 42, 50ms);
        });
    EXPECT_TRUE(h.joinable());
    EXPECT_EQ(value.load(), 0); // still sleeping
    co_await h.join();
    EXPECT_FALSE(h.joinable());
    co_return value.load();
  };
  EXPECT_EQ(vinyl::block_on(body()), 42);
  EXPECT_EQ(::pthread_equal(spawned, ::pthread_self()), 0);
}

TEST_P(Join, WaitsForTheSpawnedWork) {
  std::atomic<int> value{0};
  auto body = [&]() -> vinyl::task<int> {
    auto h = vinyl::spawn(sleep_then_store, std::ref(value), 7, 20ms);
    co_await h.join();
    co_return value.load();
  };
  EXPECT_EQ(vinyl::run(body()), 7);
}

// A member function spawned as std::thread(&C::m, obj, args...) was runs
// on the object, reached through a pointer or through anything that
// dereferences to it (a smart pointer), as std::invoke would.
struct counter {
  std::atomic<int> total{0};
  vinyl::task<void> add(int n, std::chrono::milliseconds delay) {
    co_await vinyl::io::sleep_for(delay);
    total += n;
  }
};

struct holder {
  counter *target;
  counter &operator*() const { return *target; }
};

TEST_P(Join, MemberFunctionPointerRunsOnTheObject) {
  counter c;
  auto body = [&]() -> vinyl::task<void> {
    auto by_pointer = vinyl::spawn(&counter::add, &c, 1, 10ms);
    auto by_handle = vinyl::spawn(&counter::add, holder{&c}, 10, 5ms);
    auto by_ref = vinyl::spawn(&counter::add, std::ref(c), 100, 1ms);
    co_await by_pointer.join();
    co_await by_handle.join();
    co_await by_ref.join();
  };
  vinyl::run(body());
  EXPECT_EQ(c.total.load(), 111);
}

// Arguments reach the function as rvalues, as std::thread passes them, so a
// move-only one (a std::unique_ptr) can be handed over.
vinyl::task<void> take_owned(std::unique_ptr<int> p, std::atomic<int> &out) {
  co_await vinyl::io::sleep_for(1ms);
  out = *p;
}

TEST_P(Join, MoveOnlyArgumentIsHandedOver) {
  std::atomic<int> out{0};
  auto body = [&]() -> vinyl::task<void> {
    auto h = vinyl::spawn(take_owned, std::make_unique<int>(42), std::ref(out));
    co_await h.join();
  };
  vinyl::run(body());
  EXPECT_EQ(out.load(), 42);
}

// A function taking its argument by non-const lvalue reference, as a
// std::bind the converted thread ran may bind a copy to it
// (`std::bind(&session, std::move(sock))` with `session(socket &)`): it
// gets the task's own copy, alive until it ends, which it may change.
struct socket_like {
  int fd;
  int uses = 0;
};

vinyl::task<void> session(socket_like &sock, int n, std::atomic<int> &out) {
  co_await vinyl::io::sleep_for(1ms);
  sock.uses += n;
  co_await vinyl::io::sleep_for(1ms);
  out = sock.fd * 100 + sock.uses;
}

TEST_P(Join, LvalueReferenceParameterGetsTheTasksCopy) {
  std::atomic<int> out{0};
  socket_like sock{7};
  auto body = [&]() -> vinyl::task<void> {
    auto h = vinyl::spawn(session, std::move(sock), 5, std::ref(out));
    co_await h.join();
  };
  vinyl::run(body());
  EXPECT_EQ(out.load(), 705);
  EXPECT_EQ(sock.uses, 0); // The task changed its copy.
}

// Tasks that finish in an order of their own, joined first to last and last
// to first: each join returns only once its own task finished.
vinyl::task<void> finish_and_log(int i, std::chrono::milliseconds delay,
                                 log_t &log, std::atomic<int> &finished) {
  co_await vinyl::io::sleep_for(delay);
  log.push_back("finished " + std::to_string(i));
  ++finished;
}

log_t join_many(bool reverse, std::atomic<int> &finished) {
  constexpr int n = 20;
  log_t log;
  auto body = [&]() -> vinyl::task<void> {
    std::vector<vinyl::join_handle> handles;
    std::vector<log_t> logs(n);
    for (int i = 0; i != n; ++i)
      handles.push_back(vinyl::spawn(finish_and_log, i, (i * 7 % 5 + 1) * 2ms,
                                     std::ref(logs[static_cast<size_t>(i)]),
                                     std::ref(finished)));
    for (int k = 0; k != n; ++k) {
      const int i = reverse ? n - 1 - k : k;
      co_await handles[static_cast<size_t>(i)].join();
      // The joined task's own log is complete: it finished.
      for (const std::string &s : logs[static_cast<size_t>(i)])
        log.push_back(s);
      log.push_back("joined " + std::to_string(i));
    }
  };
  vinyl::run(body());
  return log;
}

log_t expected_joins(bool reverse) {
  log_t log;
  for (int k = 0; k != 20; ++k) {
    const int i = reverse ? 19 - k : k;
    log.push_back("finished " + std::to_string(i));
    log.push_back("joined " + std::to_string(i));
  }
  return log;
}

TEST_P(Join, ManyJoinedInOrder) {
  std::atomic<int> finished{0};
  EXPECT_EQ(join_many(false, finished), expected_joins(false));
  EXPECT_EQ(finished.load(), 20);
}

TEST_P(Join, ManyJoinedInReverseOrder) {
  std::atomic<int> finished{0};
  EXPECT_EQ(join_many(true, finished), expected_joins(true));
  EXPECT_EQ(finished.load(), 20);
}

// On a loop the joins really interleave with the tasks: joining the
// longest task first sees every other task finish before it returns.
TEST_P(AsyncJoin, JoinSuspendsWhileOtherTasksRun) {
  log_t log;
  auto task_of = [&](int i, std::chrono::milliseconds d) -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(d);
    log.push_back("finished " + std::to_string(i));
  };
  auto body = [&]() -> vinyl::task<void> {
    auto slow = vinyl::spawn(task_of(0, 30ms));
    auto fast = vinyl::spawn(task_of(1, 1ms));
    co_await slow.join();
    log.push_back("joined 0");
    co_await fast.join();
    log.push_back("joined 1");
  };
  vinyl::run(body());
  EXPECT_EQ(log,
            (log_t{"finished 1", "finished 0", "joined 0", "joined 1"}));
}

// A task that already finished is joined without suspending: a task spawned
// just before the join cannot start in between (it starts only once the
// joiner suspends).
TEST_P(AsyncJoin, JoinOfAFinishedTaskIsReadyAtOnce) {
  log_t log;
  auto quick = [&]() -> vinyl::task<void> {
    log.push_back("quick");
    co_return;
  };
  auto marker = [&]() -> vinyl::task<void> {
    log.push_back("marker");
    co_return;
  };
  auto body = [&]() -> vinyl::task<void> {
    auto h = vinyl::spawn(quick());
    co_await vinyl::io::sleep_for(5ms); // quick runs and finishes
    log.push_back("slept");
    vinyl::spawn(marker());
    co_await h.join();
    log.push_back("joined");
    co_await vinyl::io::sleep_for(1ms);
  };
  vinyl::run(body());
  EXPECT_EQ(log, (log_t{"quick", "slept", "joined", "marker"}));
}

// The joined task waits in io::read for a pipe that another spawned task
// writes later.
TEST_P(Join, JoinOfATaskWaitingOnAPipe) {
  pipe_fds p;
  std::string got;
  std::atomic<bool> written{false};
  auto reader = [&]() -> vinyl::task<void> {
    char buf[16] = {};
    const ssize_t n = co_await vinyl::io::read(p.read_end, buf, sizeof buf);
    got = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "error";
    // A reader that returned before the write would see written false.
    if (!written)
      got += " (before the write)";
  };
  auto writer = [&]() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(10ms);
    written = true;
    co_await vinyl::io::write(p.write_end, "hello", 5);
  };
  auto body = [&]() -> vinyl::task<std::string> {
    auto r = vinyl::spawn(reader());
    auto w = vinyl::spawn(writer());
    co_await r.join();
    std::string seen = got; // what the reader left once joined
    co_await w.join();
    co_return seen;
  };
  EXPECT_EQ(vinyl::run(body()), "hello");
}

// A handle dropped without joining detaches: run still waits for the task.
TEST_P(Join, DroppedHandleDetachesAndRunWaitsForIt) {
  std::atomic<int> first{0};
  std::atomic<int> second{0};
  auto body = [&]() -> vinyl::task<void> {
    {
      vinyl::join_handle h = vinyl::spawn(sleep_then_store(first, 1, 20ms));
      EXPECT_TRUE(h.joinable());
    }
    vinyl::spawn(sleep_then_store, std::ref(second), 2, 20ms); // discarded
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(first.load(), 1);
  EXPECT_EQ(second.load(), 2);
}

TEST_P(Join, DetachLetsItRunAndRunWaitsForIt) {
  std::atomic<int> value{0};
  auto body = [&]() -> vinyl::task<void> {
    vinyl::join_handle h = vinyl::spawn(sleep_then_store(value, 3, 20ms));
    h.detach();
    EXPECT_FALSE(h.joinable());
    h.detach(); // does nothing
    EXPECT_THROW((void)h.join(), vinyl::join_error);
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(value.load(), 3);
}

// join() takes the handle over at once; its task destroyed unawaited
// detaches.
TEST_P(Join, JoinTaskDroppedUnawaitedDetaches) {
  std::atomic<int> value{0};
  auto body = [&]() -> vinyl::task<void> {
    vinyl::join_handle h = vinyl::spawn(sleep_then_store(value, 4, 20ms));
    {
      vinyl::task<void> j = h.join();
      EXPECT_FALSE(h.joinable());
    }
    co_return;
  };
  vinyl::run(body());
  EXPECT_EQ(value.load(), 4);
}

void expect_not_joinable_error(vinyl::join_handle &h) {
  try {
    (void)h.join();
    ADD_FAILURE() << "join() did not throw";
  } catch (const vinyl::join_error &e) {
    EXPECT_EQ(e.code(), EINVAL);
    EXPECT_STREQ(e.what(),
                 "vinyl::join_handle::join: the handle is not joinable");
  }
}

TEST_P(Join, JoinedTwiceThrows) {
  std::atomic<int> value{0};
  auto body = [&]() -> vinyl::task<void> {
    vinyl::join_handle h = vinyl::spawn(sleep_then_store(value, 5, 1ms));
    co_await h.join();
    EXPECT_FALSE(h.joinable());
    expect_not_joinable_error(h);
    // Thrown by join() itself, so it reaches a co_await of it too.
    bool thrown = false;
    try {
      co_await h.join();
    } catch (const vinyl::join_error &) {
      thrown = true;
    }
    EXPECT_TRUE(thrown);
  };
  vinyl::run(body());
  EXPECT_EQ(value.load(), 5);
  vinyl::join_handle empty;
  EXPECT_FALSE(empty.joinable());
  expect_not_joinable_error(empty);
  EXPECT_THROW(vinyl::block_on(empty.join()), vinyl::join_error);
}

TEST_P(Join, MovingHandles) {
  std::atomic<int> first{0};
  std::atomic<int> second{0};
  auto body = [&]() -> vinyl::task<void> {
    vinyl::join_handle a = vinyl::spawn(sleep_then_store(first, 1, 30ms));
    vinyl::join_handle b(std::move(a));
    EXPECT_FALSE(a.joinable());
    EXPECT_TRUE(b.joinable());
    expect_not_joinable_error(a);
    // Assigning over a joinable handle detaches what it held.
    vinyl::join_handle c = vinyl::spawn(sleep_then_store(second, 2, 1ms));
    c = std::move(b);
    EXPECT_FALSE(b.joinable());
    EXPECT_TRUE(c.joinable());
    vinyl::join_handle &same = c;
    c = std::move(same); // self-move keeps it
    EXPECT_TRUE(c.joinable());
    std::vector<vinyl::join_handle> moved;
    moved.push_back(std::move(c));
    co_await moved.back().join();
    EXPECT_EQ(first.load(), 1);
    EXPECT_FALSE(moved.back().joinable());
  };
  vinyl::run(body());
  EXPECT_EQ(second.load(), 2); // the detached one, waited for by run
}

// What `std::thread t(f, a); ...; t.join();` in main becomes when main stays
// synchronous: block_on(t.join()). In async mode outside any loop the task
// gets a thread with a loop of its own.
int sync_spawn_and_join(std::atomic<int> &value) {
  vinyl::join_handle t = vinyl::spawn(sleep_then_store, std::ref(value), 8,
                                      30ms);
  const int before = value.load();
  vinyl::block_on(t.join());
  return before * 100 + value.load();
}

TEST_P(Join, BlockOnJoinFromASynchronousFunction) {
  std::atomic<int> value{0};
  EXPECT_EQ(sync_spawn_and_join(value), 8);
}

// The spawned callable's arguments are destroyed before the join returns,
// as a thread's copies of them are.
struct counted {
  std::atomic<int> *alive;
  explicit counted(std::atomic<int> &a) : alive(&a) { ++*alive; }
  counted(const counted &other) : alive(other.alive) { ++*alive; }
  counted &operator=(const counted &) = delete;
  ~counted() { --*alive; }
};

vinyl::task<void> keep_argument(counted, std::atomic<int> &ran) {
  co_await vinyl::io::sleep_for(10ms);
  ran = 1;
}

TEST_P(Join, ArgumentsAreDestroyedWhenJoinReturns) {
  std::atomic<int> alive{0};
  std::atomic<int> ran{0};
  auto body = [&]() -> vinyl::task<int> {
    auto h = [&] {
      counted arg(alive);
      return vinyl::spawn(keep_argument, arg, std::ref(ran));
    }();
    EXPECT_GE(alive.load(), 1); // the task's copies, while it sleeps
    co_await h.join();
    co_return alive.load();
  };
  EXPECT_EQ(vinyl::run(body()), 0);
  EXPECT_EQ(ran.load(), 1);
}

// A handle of a task on one thread's loop, joined from another thread: that
// thread blocks until the loop finished the task.
TEST_P(AsyncJoin, JoinFromAnotherThreadBlocksIt) {
  std::atomic<int> value{0};
  std::atomic<int> seen{-1};
  std::thread joiner;
  auto body = [&]() -> vinyl::task<void> {
    vinyl::join_handle h = vinyl::spawn(sleep_then_store(value, 9, 30ms));
    joiner = std::thread([&, h = std::move(h)]() mutable {
      vinyl::block_on(h.join());
      seen = value.load();
    });
    co_return;
  };
  vinyl::run(body());
  joiner.join();
  EXPECT_EQ(seen.load(), 9);
}

// A synchronous function called from a task on a loop can join a task it
// spawned on that loop: its block_on runs on the same loop, which runs the
// spawned task meanwhile.
TEST_P(AsyncJoin, BlockOnJoinOfATaskOfTheOuterLoopWaitsForIt) {
  std::atomic<int> value{0};
  auto facade = [&] {
    vinyl::join_handle t = vinyl::spawn(sleep_then_store(value, 1, 1ms));
    vinyl::block_on(t.join());
    return value.load();
  };
  auto body = [&]() -> vinyl::task<int> { co_return facade(); };
  EXPECT_EQ(vinyl::run(body()), 1);
}

// The loop gives up on tasks that can never resume; a joiner suspended on
// one of them is destroyed with it, and nothing resumes or frees it twice
// (AddressSanitizer checks the latter in the _asan build).
struct set_on_destruction {
  bool &flag;
  ~set_on_destruction() { flag = true; }
};

vinyl::task<void> suspend_forever(bool &destroyed) {
  set_on_destruction guard{destroyed};
  co_await std::suspend_always{};
}

TEST_P(AsyncJoin, JoinerOfATaskThatNeverFinishesIsADeadlock) {
  bool spawned_destroyed = false;
  bool joiner_destroyed = false;
  auto body = [&]() -> vinyl::task<void> {
    set_on_destruction guard{joiner_destroyed};
    auto h = vinyl::spawn(suspend_forever(spawned_destroyed));
    co_await h.join();
  };
  EXPECT_THROW(vinyl::run(body()), vinyl::deadlock);
  EXPECT_TRUE(spawned_destroyed);
  EXPECT_TRUE(joiner_destroyed);
  // And the other way round: the joiner is a spawned task too.
  spawned_destroyed = joiner_destroyed = false;
  auto outer = [&]() -> vinyl::task<void> {
    vinyl::spawn([&]() -> vinyl::task<void> { co_await body(); });
    co_return;
  };
  EXPECT_THROW(vinyl::run(outer()), vinyl::deadlock);
  EXPECT_TRUE(spawned_destroyed);
  EXPECT_TRUE(joiner_destroyed);
  EXPECT_EQ(vinyl::run([]() -> vinyl::task<int> { co_return 1; }()), 1);
}

// In blocking mode a thread joining itself is refused by pthread_join.
TEST_P(JoinBlocking, AThreadJoiningItselfThrows) {
#ifdef VINYL_TEST_TSAN
  // TSan's pthread_join (GCC 12's and clang 22's) forgets the thread as
  // it is called, even when the join fails (EDEADLK), so the handle's later
  // pthread_detach of it aborts TSan itself ("CHECK failed: tid <
  // kMaxTid"). glibc is fine with it.
  GTEST_SKIP() << "ThreadSanitizer cannot follow a failed self-join";
#endif
  std::atomic<int> code{0};
  vinyl::join_handle self;
  std::atomic<bool> ready{false};
  auto body = [&]() -> vinyl::task<void> {
    while (!ready)
      co_await vinyl::io::sleep_for(1ms);
    try {
      co_await self.join();
    } catch (const vinyl::join_error &e) {
      code = e.code();
    }
  };
  auto body_task = body();
  vinyl::run([&]() -> vinyl::task<void> {
    self = vinyl::spawn(std::move(body_task));
    ready = true;
    co_return;
  }());
  EXPECT_EQ(code.load(), EDEADLK);
}

} // namespace
