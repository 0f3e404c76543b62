// Benchmark driver: the cost of a vinyl::task call chain under the blocking
// backend against the synchronous chain it replaces.
//
// Both chains are five levels deep, one translation unit per level, down to a
// 64-byte read(2) of /dev/zero; the coroutine chain is driven by one
// vinyl::block_on per top-level call, as a synchronous facade would. Runs
// alternate (sync, coro, sync, coro, ...) so drift in machine load hits both
// alike. The global operator new is replaced to count heap allocations made
// by the coroutine runs after warm-up.
//
// Usage: bench_chain [calls per run] [runs] [read size in bytes]
#include "chain.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {
long allocations = 0;
} // namespace

void *operator new(std::size_t n) {
  ++allocations;
  if (void *p = std::malloc(n ? n : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace {

#ifdef __clang__
constexpr const char *compiler = __VERSION__;
#else
constexpr const char *compiler = "GCC " __VERSION__;
#endif
constexpr int levels = 5;
struct stats {
  double min, median;
};

stats summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return {v.front(), n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2};
}

template <class Call> double ns_per_call(Call call, long calls) {
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i != calls; ++i)
    call();
  const std::chrono::duration<double, std::nano> elapsed =
      std::chrono::steady_clock::now() - start;
  return elapsed.count() / static_cast<double>(calls);
}

} // namespace

int main(int argc, char **argv) {
  const long calls = argc > 1 ? std::atol(argv[1]) : 200000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 15;
  const long read_size = argc > 3 ? std::atol(argv[3]) : 64;
  if (calls <= 0 || runs <= 0 || read_size <= 0) {
    std::fprintf(stderr, "usage: %s [calls per run] [runs] [read size]\n",
                 argv[0]);
    return 2;
  }
  const int fd = ::open("/dev/zero", O_RDONLY);
  if (fd < 0) {
    std::perror("/dev/zero");
    return 1;
  }

  std::vector<char> buf(static_cast<std::size_t>(read_size));
  long failures = 0;
  auto sync_call = [&] {
    failures += sync_f1(fd, buf.data(), buf.size()) != read_size;
  };
  auto coro_call = [&] {
    failures +=
        vinyl::block_on(coro_f1(fd, buf.data(), buf.size())) != read_size;
  };

  // Warm-up: faults in the code and fills the frame cache.
  ns_per_call(sync_call, calls / 10 + 1);
  ns_per_call(coro_call, calls / 10 + 1);

  std::vector<double> sync_ns, coro_ns;
  sync_ns.reserve(static_cast<std::size_t>(runs));
  coro_ns.reserve(static_cast<std::size_t>(runs));
  long coro_allocations = 0;
  for (int r = 0; r != runs; ++r) {
    sync_ns.push_back(ns_per_call(sync_call, calls));
    const long before = allocations;
    coro_ns.push_back(ns_per_call(coro_call, calls));
    coro_allocations += allocations - before;
  }
  ::close(fd);
  if (failures) {
    std::fprintf(stderr, "%ld reads came up short\n", failures);
    return 1;
  }

  const stats sync = summarize(sync_ns);
  const stats coro = summarize(coro_ns);
  std::printf("compiler   %s\n", compiler);
  std::printf("chain      %d levels, %ld-byte read(2) of /dev/zero\n", levels,
              read_size);
  std::printf("runs       %d x %ld calls, interleaved\n", runs, calls);
  std::printf("           min ns/call  median ns/call\n");
  std::printf("sync       %11.1f  %14.1f\n", sync.min, sync.median);
  std::printf("coro       %11.1f  %14.1f\n", coro.min, coro.median);
  std::printf("coro/sync  %11.3f  %14.3f\n", coro.min / sync.min,
              coro.median / sync.median);
  std::printf("coro overhead per level: %.1f ns (median)\n",
              (coro.median - sync.median) / levels);
  std::printf(
      "heap allocations per level, steady state: %g\n",
      static_cast<double>(coro_allocations) /
          (static_cast<double>(runs) * static_cast<double>(calls) * levels));
  return 0;
}
