// What vinyl::mutex costs against the std types it replaces (docs/
// benchmarks.md, "Mutexes: exclusive and shared"): uncontended lock and
// unlock, exclusive and shared, from synchronous code and from a task
// (`co_await m.lock_async()` / `lock_shared_async()`), and shared
// ownership taken by two threads at once, where readers never wait for
// each other but share the mutex's cache line.
//
//   vinyl_bench_sync [iterations]        (default 10,000,000)
//
// Run it as it is for blocking mode and with VINYL_IO=async for the task
// rows in async mode. Each row is the minimum over 5 repetitions of the
// mean nanoseconds per lock-and-unlock. Not a test: nothing is asserted.
#include <vinyl/block_on.hpp>
#include <vinyl/sync.hpp>
#include <vinyl/task.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

long Iterations = 10'000'000;

/// The minimum over 5 runs of \p Body's mean nanoseconds per iteration.
template <class F> double nsPer(F &&Body) {
  double Best = 1e30;
  for (int Run = 0; Run < 5; ++Run) {
    auto Start = Clock::now();
    Body();
    std::chrono::duration<double, std::nano> Took = Clock::now() - Start;
    Best = std::min(Best, Took.count() / static_cast<double>(Iterations));
  }
  return Best;
}

template <class M> double exclusive(M &m) {
  return nsPer([&] {
    for (long I = 0; I < Iterations; ++I) {
      m.lock();
      m.unlock();
    }
  });
}

template <class M> double shared(M &m) {
  return nsPer([&] {
    for (long I = 0; I < Iterations; ++I) {
      m.lock_shared();
      m.unlock_shared();
    }
  });
}

vinyl::task<void> lockInTask(vinyl::mutex &m, bool Shared) {
  for (long I = 0; I < Iterations; ++I) {
    if (Shared) {
      co_await m.lock_shared_async();
      m.unlock_shared();
    } else {
      co_await m.lock_async();
      m.unlock();
    }
  }
}

/// Two threads taking shared ownership of one mutex at once: the time per
/// lock-and-unlock of each.
template <class M> double sharedByTwo(M &m) {
  return nsPer([&] {
    std::atomic<int> Ready{0};
    auto Reader = [&] {
      Ready.fetch_add(1);
      while (Ready.load() < 2) {
      }
      for (long I = 0; I < Iterations; ++I) {
        m.lock_shared();
        m.unlock_shared();
      }
    };
    std::thread Other(Reader);
    Reader();
    Other.join();
  });
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 1)
    Iterations = std::atol(argv[1]);
  // A multithreaded process, as any that needs a mutex is: glibc's
  // std::mutex takes its atomic path only then.
  std::thread([] {}).join();
  const char *Mode = std::getenv("VINYL_IO");
  std::printf("iterations %ld, mode %s\n", Iterations,
              Mode && *Mode ? Mode : "blocking");

  std::mutex StdMutex;
  std::shared_mutex StdShared;
  vinyl::mutex Vinyl;
  std::printf("%-44s %8.2f ns\n", "std::mutex lock+unlock", exclusive(StdMutex));
  std::printf("%-44s %8.2f ns\n", "vinyl::mutex lock+unlock", exclusive(Vinyl));
  std::printf("%-44s %8.2f ns\n", "std::shared_mutex lock+unlock",
              exclusive(StdShared));
  std::printf("%-44s %8.2f ns\n", "std::shared_mutex lock_shared+unlock_shared",
              shared(StdShared));
  std::printf("%-44s %8.2f ns\n", "vinyl::mutex lock_shared+unlock_shared",
              shared(Vinyl));
  std::printf("%-44s %8.2f ns\n", "task: co_await lock_async()+unlock",
              nsPer([&] { vinyl::block_on(lockInTask(Vinyl, false)); }));
  std::printf("%-44s %8.2f ns\n", "task: co_await lock_shared_async()+unlock",
              nsPer([&] { vinyl::block_on(lockInTask(Vinyl, true)); }));
  std::printf("%-44s %8.2f ns\n", "std::shared_mutex shared by 2 threads",
              sharedByTwo(StdShared));
  std::printf("%-44s %8.2f ns\n", "vinyl::mutex shared by 2 threads",
              sharedByTwo(Vinyl));
}
