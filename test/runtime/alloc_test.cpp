// Heap accounting of coroutine frames: steady-state calls allocate nothing,
// frames may be freed on another thread, cached frames are released at thread
// exit, and the per-thread cache is bounded.
//
// This file replaces the global operator new/delete to count calls, so it is
// its own test executable.
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

std::atomic<long> allocations{0};
std::atomic<long> live_blocks{0};

void *counted_new(std::size_t n) {
  if (void *p = std::malloc(n ? n : 1)) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    live_blocks.fetch_add(1, std::memory_order_relaxed);
    return p;
  }
  throw std::bad_alloc();
}

void counted_delete(void *p) noexcept {
  if (!p)
    return;
  live_blocks.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}

} // namespace

void *operator new(std::size_t n) { return counted_new(n); }
void *operator new[](std::size_t n) { return counted_new(n); }
void operator delete(void *p) noexcept { counted_delete(p); }
void operator delete[](void *p) noexcept { counted_delete(p); }
void operator delete(void *p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void *p, std::size_t) noexcept { counted_delete(p); }

namespace {

// A five-level chain with frames of different size classes down to a read of
// /dev/zero, like the converted code the runtime exists for.
vinyl::task<long> level5(int fd) {
  std::array<char, 64> buf;
  co_return co_await vinyl::io::read(fd, buf.data(), buf.size());
}

vinyl::task<long> level4(int fd) { co_return co_await level5(fd) + 1; }

vinyl::task<long> level3(int fd) {
  std::array<char, 300> scratch{};
  scratch[0] = 1;
  co_return co_await level4(fd) + scratch[0];
}

vinyl::task<long> level2(int fd) { co_return co_await level3(fd) + 1; }

vinyl::task<long> level1(int fd) {
  std::array<char, 1000> scratch{};
  scratch[0] = 1;
  co_return co_await level2(fd) + scratch[0];
}

class AllocTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_GE(fd_ = ::open("/dev/zero", O_RDONLY), 0); }
  void TearDown() override { ::close(fd_); }

  long run_chain() { return vinyl::block_on(level1(fd_)); }

  int fd_ = -1;
};

TEST_F(AllocTest, SteadyStateCallsAllocateNothing) {
  ASSERT_EQ(run_chain(), 68);
  const long before = allocations.load();
  for (int i = 0; i != 1000; ++i)
    ASSERT_EQ(run_chain(), 68);
  EXPECT_EQ(allocations.load() - before, 0);
}

vinyl::task<int> leaf() { co_return 1; }

TEST_F(AllocTest, FrameFreedOnAnotherThreadJoinsThatThreadsCache) {
  const long live_before = live_blocks.load();
  vinyl::task<int> t = leaf();
  std::thread([&] {
    { vinyl::task<int> moved = std::move(t); }
    const long before = allocations.load();
    EXPECT_EQ(vinyl::block_on(leaf()), 1);
    EXPECT_EQ(allocations.load() - before, 0);
  }).join();
  EXPECT_EQ(live_blocks.load(), live_before);
}

TEST_F(AllocTest, ThreadExitReleasesCachedFrames) {
  const long live_before = live_blocks.load();
  std::thread([&] {
    for (int i = 0; i != 10; ++i)
      EXPECT_EQ(run_chain(), 68);
    EXPECT_GT(live_blocks.load(), live_before);
  }).join();
  EXPECT_EQ(live_blocks.load(), live_before);
}

struct task_holder {
  vinyl::task<int> task = leaf();
};

// Thread-locals are destroyed in reverse order of construction; the holder
// constructed before the thread's first free outlives the cache's exit hook,
// so its frame is freed after the cache was released.
TEST_F(AllocTest, FrameFreedAfterTheCacheWasReleased) {
  const long live_before = live_blocks.load();
  std::thread([&] {
    thread_local task_holder holder;
    EXPECT_EQ(run_chain(), 68);
  }).join();
  EXPECT_EQ(live_blocks.load(), live_before);
}

TEST_F(AllocTest, FrameFreedBeforeTheCacheIsReleased) {
  const long live_before = live_blocks.load();
  std::thread([&] {
    EXPECT_EQ(run_chain(), 68);
    thread_local task_holder holder;
  }).join();
  EXPECT_EQ(live_blocks.load(), live_before);
}

TEST_F(AllocTest, CacheIsBounded) {
  const long live_before = live_blocks.load();
  std::thread([] {
    const long live_before_frames = live_blocks.load();
    // Far more frames than the cache holds, all freed at once.
    {
      std::vector<vinyl::task<int>> tasks;
      for (int i = 0; i != 40000; ++i)
        tasks.push_back(leaf());
    }
    const long cached = live_blocks.load() - live_before_frames;
    EXPECT_GT(cached, 0);
    EXPECT_LE(cached, static_cast<long>(vinyl::detail::frame_cache_budget /
                                        vinyl::detail::frame_granule));
  }).join();
  EXPECT_EQ(live_blocks.load(), live_before);
}

} // namespace
