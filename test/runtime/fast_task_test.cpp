// Tests of vinyl::fast_task: the result of a function the tool split at a
// cold guard into a plain half and a coroutine half (`fast_paths: true`).
// The split functions here are written as the tool writes them. Each test
// runs in blocking mode and in async mode on both backends: the ready path
// must give the value without a task, the slow path must run the coroutine
// (and, in async mode, really wait on the loop), and results, exceptions
// and destruction must be those of a plain task.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <unistd.h>

namespace {

using namespace vinyl_test;

// A buffered byte reader, as the bench's get_byte after the split.
struct byte_reader {
  int fd;
  char buf[16];
  std::size_t pos = 0, len = 0;
  int refills = 0;
};

vinyl::task<bool> refill(byte_reader &r) {
  ssize_t n = co_await vinyl::io::read(r.fd, r.buf, sizeof r.buf);
  ++r.refills;
  if (n <= 0)
    co_return false;
  r.pos = 0;
  r.len = static_cast<std::size_t>(n);
  co_return true;
}

// The condition's await on a statement of its own, as the tool writes it
// for g++ 12, which miscompiles an await in an operand of &&.
vinyl::task<int> get_byte(vinyl::slow_t, byte_reader &r) {
  if (r.pos == r.len) {
    const bool filled = co_await refill(r);
    if (!filled)
      co_return -1;
  }
  co_return static_cast<unsigned char>(r.buf[r.pos++]);
}

vinyl::fast_task<int> get_byte(byte_reader &r) {
  if (r.pos == r.len)
    return get_byte(vinyl::slow, r);
  return static_cast<unsigned char>(r.buf[r.pos++]);
}

vinyl::task<std::string> read_all(byte_reader &r) {
  std::string out;
  for (int c = co_await get_byte(r); c != -1; c = co_await get_byte(r))
    out.push_back(static_cast<char>(c));
  co_return out;
}

class FastTask : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, FastTask,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

TEST_P(FastTask, ReadyPathAndSlowPathGiveTheBytesInOrder) {
  pipe_fds p;
  const std::string text(100, 'x');
  std::string sent = text + "tail";
  ASSERT_EQ(::write(p.write_end, sent.data(), sent.size()),
            static_cast<ssize_t>(sent.size()));
  ::close(p.write_end);
  p.write_end = ::dup(p.read_end); // Keeps the destructor's close valid.
  byte_reader r{p.read_end, {}};
  EXPECT_EQ(vinyl::block_on(read_all(r)), sent);
  // One refill per 16 bytes and one that found the end: the other calls
  // took the ready path.
  EXPECT_EQ(r.refills, static_cast<int>((sent.size() + 15) / 16) + 1);
}

TEST_P(FastTask, BlockOnTakesTheReadyValueOrRunsTheTask) {
  pipe_fds p;
  ASSERT_EQ(::write(p.write_end, "ab", 2), 2);
  byte_reader r{p.read_end, {}};
  vinyl::fast_task<int> first = get_byte(r);
  EXPECT_FALSE(first.ready()); // Empty buffer: the coroutine half.
  EXPECT_EQ(vinyl::block_on(std::move(first)), 'a');
  vinyl::fast_task<int> second = get_byte(r);
  EXPECT_TRUE(second.ready());
  EXPECT_EQ(vinyl::block_on(std::move(second)), 'b');
  EXPECT_EQ(r.refills, 1);
}

vinyl::task<std::string> greeting(vinyl::slow_t, bool fail) {
  if (fail)
    throw std::runtime_error("slow failure");
  co_return "slow";
}

vinyl::fast_task<std::string> greeting(bool slow, bool fail) {
  if (slow)
    return greeting(vinyl::slow, fail);
  if (fail)
    throw std::runtime_error("fast failure");
  return "fast"; // Converts in one step, as to the original std::string.
}

TEST_P(FastTask, ValuesConvertAndExceptionsReachTheAwaiter) {
  auto run = [](bool slow, bool fail) {
    return vinyl::block_on([](bool slow, bool fail) -> vinyl::task<std::string> {
      try {
        co_return co_await greeting(slow, fail);
      } catch (const std::runtime_error &e) {
        co_return std::string("caught ") + e.what();
      }
    }(slow, fail));
  };
  EXPECT_EQ(run(false, false), "fast");
  EXPECT_EQ(run(true, false), "slow");
  EXPECT_EQ(run(false, true), "caught fast failure");
  EXPECT_EQ(run(true, true), "caught slow failure");
}

vinyl::task<void> note(vinyl::slow_t, int &calls) {
  ++calls;
  co_return;
}

vinyl::fast_task<void> note(bool slow, int &calls) {
  if (slow)
    return note(vinyl::slow, calls);
  return {};
}

TEST_P(FastTask, VoidResultsAndMoveOnlyValues) {
  int calls = 0;
  vinyl::block_on([&]() -> vinyl::task<void> {
    co_await note(false, calls);
    co_await note(true, calls);
  }());
  EXPECT_EQ(calls, 1);
  auto make = [](bool) -> vinyl::fast_task<std::unique_ptr<int>> {
    return std::make_unique<int>(7);
  };
  std::unique_ptr<int> p = vinyl::block_on(make(true));
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, 7);
}

TEST(FastTaskOwnership, AnUnawaitedSlowTaskIsDestroyedAndAMoveTransfersIt) {
  int calls = 0;
  {
    vinyl::fast_task<void> dropped = note(true, calls);
    vinyl::fast_task<void> moved = std::move(dropped);
    EXPECT_FALSE(moved.ready());
    EXPECT_TRUE(dropped.ready()); // Nothing left to run or destroy.
  }
  EXPECT_EQ(calls, 0); // Lazy: the coroutine never ran; ASan sees no leak.
  vinyl::fast_task<std::string> value = greeting(false, false);
  vinyl::fast_task<std::string> other = std::move(value);
  EXPECT_EQ(std::move(other).take_value(), "fast");
}

// A split caller's loop condition: a ready call gives its value and leaves
// the flag alone; one that is not ready sets it, gives a value-initialised
// stand-in, and its task is destroyed without running.
vinyl::task<int> counted(vinyl::slow_t, int &calls) {
  ++calls;
  co_return 42;
}

vinyl::fast_task<int> counted(bool slow, int &calls) {
  if (slow)
    return counted(vinyl::slow, calls);
  return 7;
}

TEST(FastTaskReadyOrStop, AReadyValueOrAStandInAndTheFlag) {
  int calls = 0;
  bool stop = false;
  EXPECT_EQ(vinyl::ready_or_stop(counted(false, calls), stop), 7);
  EXPECT_FALSE(stop);
  EXPECT_EQ(vinyl::ready_or_stop(counted(true, calls), stop), 0);
  EXPECT_TRUE(stop);
  // Once set, it stays set, whatever the calls after it give.
  EXPECT_EQ(vinyl::ready_or_stop(counted(false, calls), stop), 7);
  EXPECT_TRUE(stop);
  EXPECT_EQ(calls, 0); // The task that was not ready never ran.
}

// In async mode the slow path waits on the loop: another task of the same
// thread writes the bytes the reader waits for.
TEST(FastTaskAsync, TheSlowPathSuspendsOnTheLoop) {
  vinyl::set_io_mode(vinyl::io_mode::async);
  pipe_fds p;
  byte_reader r{p.read_end, {}};
  std::string log;
  // Named: a coroutine lambda reaches its captures through the closure.
  auto writer = [&]() -> vinyl::task<void> {
    log += "w";
    co_await vinyl::io::write(p.write_end, "hi", 2);
    ::close(p.write_end);
    p.write_end = ::dup(p.read_end);
  };
  auto reader = [&]() -> vinyl::task<void> {
    vinyl::spawn(writer());
    log += "r";
    std::string got = co_await read_all(r);
    log += got;
  };
  vinyl::block_on(reader());
  vinyl::set_io_mode(vinyl::io_mode::blocking);
  EXPECT_EQ(log, "rwhi");
}

} // namespace
