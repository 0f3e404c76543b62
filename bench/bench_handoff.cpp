// Benchmark of the runtime's per-call costs outside the I/O itself: a
// facade's block_on in each mode (async mode must not make a system call per
// call), a facade nested in a task on a running loop (which must reuse that
// loop, not set up a new one), and the round trip of vinyl::offload's hand-off
// to a worker thread and back, against the plain call. Median of interleaved
// runs; not a test (see docs/benchmarks.md).
//
// Usage: bench_handoff [calls per run] [runs]
#include <vinyl/offload.hpp>
#include <vinyl/vinyl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

[[gnu::noinline]] int plain(int x) { return x + 1; }

vinyl::task<int> ready(int x) { co_return plain(x); }

// A facade: what the tool writes for a function that keeps its name.
[[gnu::noinline]] int facade(int x) { return vinyl::block_on(ready(x)); }

vinyl::task<int> offloaded(int x) {
  co_return co_await vinyl::offload(plain, x);
}

// A task that calls the facade n times: each nested block_on runs on the
// task's own loop.
vinyl::task<long> nested(long n) {
  long sum = 0;
  for (long i = 0; i != n; ++i)
    sum += facade(static_cast<int>(i));
  co_return sum;
}

vinyl::task<long> offload_loop(long n) {
  long sum = 0;
  for (long i = 0; i != n; ++i)
    sum += co_await offloaded(static_cast<int>(i));
  co_return sum;
}

template <class F> double ns_per_call(long n, F f) {
  const auto start = clock_type::now();
  const long sum = f(n);
  const auto took = clock_type::now() - start;
  if (sum == -1)
    std::puts("");
  return std::chrono::duration<double, std::nano>(took).count() /
         static_cast<double>(n);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  const long calls = argc > 1 ? std::atol(argv[1]) : 200000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 9;
  std::vector<double> plain_ns, blocking_ns, async_ns, nested_ns, offload_ns;
  for (int r = 0; r != runs; ++r) {
    plain_ns.push_back(ns_per_call(calls, [](long n) {
      long s = 0;
      for (long i = 0; i != n; ++i)
        s += plain(static_cast<int>(i));
      return s;
    }));
    vinyl::set_io_mode(vinyl::io_mode::blocking);
    blocking_ns.push_back(ns_per_call(calls, [](long n) {
      long s = 0;
      for (long i = 0; i != n; ++i)
        s += facade(static_cast<int>(i));
      return s;
    }));
    vinyl::set_io_mode(vinyl::io_mode::async);
    async_ns.push_back(ns_per_call(calls / 10, [](long n) {
      long s = 0;
      for (long i = 0; i != n; ++i)
        s += facade(static_cast<int>(i));
      return s;
    }));
    nested_ns.push_back(ns_per_call(
        calls, [](long n) { return vinyl::block_on(nested(n)); }));
    offload_ns.push_back(ns_per_call(
        calls / 10, [](long n) { return vinyl::block_on(offload_loop(n)); }));
  }
  std::printf("ns per call, median of %d runs:\n", runs);
  std::printf("  plain call                         %8.1f\n", median(plain_ns));
  std::printf("  facade, blocking mode              %8.1f\n",
              median(blocking_ns));
  std::printf("  facade, async mode (own loop)      %8.1f\n", median(async_ns));
  std::printf("  facade nested in a task on a loop  %8.1f\n",
              median(nested_ns));
  std::printf("  co_await vinyl::offload, async     %8.1f\n",
              median(offload_ns));
}
