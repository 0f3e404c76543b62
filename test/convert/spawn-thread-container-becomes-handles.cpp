// A local container of threads whose functions reach I/O (the spawn rule's
// `handle_type` in rules/posix.yaml) becomes a container of the
// vinyl::join_handle that vinyl::spawn returns: the element type in its
// declaration and in range-for variables becomes the handle type,
// `ts.emplace_back(f, a)` becomes `ts.emplace_back(vinyl::spawn(f, a))`,
// `ts.push_back(std::thread(...))` and `ts[i] = std::thread{...}` spawn,
// and the joins of its elements (range-for variables, `ts[i]`,
// `ts.back()`) are awaited, or wait with block_on in main. size(),
// reserve() and joinable() stay as written. A container whose threads do no
// I/O stays as it is. The converted program prints the same in blocking and
// async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      static vinyl::task<void> run_pool_async(const int *fds) {
// CHECK-NEXT:   std::vector<vinyl::join_handle> workers;
// CHECK-NEXT:   workers.reserve(3);
// CHECK-NEXT:   for (int i = 0; i < 2; ++i)
// CHECK-NEXT:     workers.emplace_back(vinyl::spawn(worker, fds[i], i));
// CHECK-NEXT:   workers.push_back(vinyl::spawn([fd = fds[2]]() -> vinyl::task<void> { co_await vinyl::io::write(fd, "lambda\n", 7); }));
// CHECK-NEXT:   std::printf("%zu threads\n", workers.size());
// CHECK-NEXT:   for (auto &t : workers)
// CHECK-NEXT:     co_await t.join();
// CHECK-NEXT: }
// CHECK:      static vinyl::task<void> run_array_async(const int *fds) {
// CHECK-NEXT:   std::array<vinyl::join_handle, 2> pair;
// CHECK-NEXT:   for (int i = 0; i < 2; ++i)
// CHECK-NEXT:     pair[i] = vinyl::spawn(worker, fds[3 + i], 3 + i);
// CHECK-NEXT:   for (vinyl::join_handle &t : pair)
// CHECK-NEXT:     if (t.joinable())
// CHECK-NEXT:       co_await t.join();
// CHECK-NEXT: }
// CHECK:      static void run_quiet() {
// CHECK-NEXT:   std::vector<std::thread> idle;
// CHECK-NEXT:   idle.emplace_back(quiet, 1);
// CHECK-NEXT:   idle[0].join();
// CHECK-NEXT: }
// CHECK:        std::vector<vinyl::join_handle> last;
// CHECK-NEXT:   last.emplace_back(vinyl::spawn(worker, write_ends[5], 5));
// CHECK-NEXT:   vinyl::block_on(last.back().join());

// OUT:      3 threads
// OUT-NEXT: worker 0
// OUT-NEXT: worker 1
// OUT-NEXT: lambda
// OUT-NEXT: worker 3
// OUT-NEXT: worker 4
// OUT-NEXT: worker 5

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <array>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

static void worker(int fd, int n) {
  std::string line = "worker " + std::to_string(n) + "\n";
  ::write(fd, line.data(), line.size());
}

static void quiet(int n) { (void)n; }

static void run_pool(const int *fds) {
  std::vector<std::thread> workers;
  workers.reserve(3);
  for (int i = 0; i < 2; ++i)
    workers.emplace_back(worker, fds[i], i);
  workers.push_back(std::thread([fd = fds[2]] { ::write(fd, "lambda\n", 7); }));
  std::printf("%zu threads\n", workers.size());
  for (auto &t : workers)
    t.join();
}

static void run_array(const int *fds) {
  std::array<std::thread, 2> pair;
  for (int i = 0; i < 2; ++i)
    pair[i] = std::thread{worker, fds[3 + i], 3 + i};
  for (std::thread &t : pair)
    if (t.joinable())
      t.join();
}

static void run_quiet() {
  std::vector<std::thread> idle;
  idle.emplace_back(quiet, 1);
  idle[0].join();
}

int main() {
  const int n = 6;
  int read_ends[n], write_ends[n];
  for (int i = 0; i < n; ++i) {
    int p[2];
    if (::pipe(p) != 0)
      return 1;
    read_ends[i] = p[0];
    write_ends[i] = p[1];
  }
  run_pool(write_ends);
  run_array(write_ends);
  run_quiet();
  std::vector<std::thread> last;
  last.emplace_back(worker, write_ends[5], 5);
  last.back().join();
  for (int i = 0; i < n; ++i) {
    char buf[64];
    long got = ::read(read_ends[i], buf, sizeof buf);
    if (got > 0)
      std::fwrite(buf, 1, got, stdout);
  }
  std::fflush(stdout);
}
