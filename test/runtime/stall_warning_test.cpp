// Tests of the stall warning (VINYL_STALL_WARN_MS, set_stall_warning_ms):
// a task that keeps the event loop without suspending (a leaf that makes
// the blocking call) is reported on stderr; one that waits on the loop, or
// runs a nested facade that serves the loop, is not; off by default.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;

class StallWarning : public with_io_config {
protected:
  void TearDown() override {
    vinyl::set_stall_warning_ms(0);
    with_io_config::TearDown();
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, StallWarning,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// What the run of `body` wrote to stderr.
template <class F> std::string stderr_of(F body) {
  ::testing::internal::CaptureStderr();
  vinyl::run(body());
  return ::testing::internal::GetCapturedStderr();
}

vinyl::task<int> blocks_the_thread() {
  co_await vinyl::io::sleep_for(1ms); // on the loop from here on
  ::usleep(60'000);
  co_return 0;
}

vinyl::task<int> waits_on_the_loop() {
  co_await vinyl::io::sleep_for(60ms);
  co_return 0;
}

vinyl::task<int> nested_facade() {
  co_await vinyl::io::sleep_for(1ms);
  co_return vinyl::block_on(waits_on_the_loop());
}

TEST_P(StallWarning, TaskThatBlocksTheThreadIsReported) {
  vinyl::set_stall_warning_ms(20);
  const std::string err = stderr_of(blocks_the_thread);
  EXPECT_NE(err.find("vinyl: a task ran "), std::string::npos) << err;
  EXPECT_NE(err.find("(VINYL_STALL_WARN_MS=20)"), std::string::npos) << err;
}

TEST_P(StallWarning, TaskThatWaitsOnTheLoopIsNot) {
  vinyl::set_stall_warning_ms(20);
  EXPECT_EQ(stderr_of(waits_on_the_loop), "");
}

TEST_P(StallWarning, NestedFacadeServingTheLoopIsNot) {
  vinyl::set_stall_warning_ms(20);
  EXPECT_EQ(stderr_of(nested_facade), "");
}

TEST_P(StallWarning, OffUnlessAsked) {
  vinyl::set_stall_warning_ms(0);
  EXPECT_EQ(stderr_of(blocks_the_thread), "");
}

} // namespace
