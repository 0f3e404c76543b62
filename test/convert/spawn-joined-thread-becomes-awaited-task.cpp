// A joined thread whose function reaches I/O (the spawn rule's `join` in
// rules/posix.yaml) becomes a spawned task held by the vinyl::join_handle
// that vinyl::spawn returns, awaited where join() was: `std::thread t(f,
// a)`, `std::thread t{f, a}`, `auto t = std::thread(f, a)` and `std::thread
// t = std::thread{f, a}` all become `auto t = vinyl::spawn(f, a)`, `t.join()`
// becomes `co_await t.join()` (joinable() stays), and the function that
// joins becomes a coroutine. In main, which stays synchronous, the join
// waits in place with block_on. A thread whose function does no I/O stays a
// thread. The converted program prints the same in blocking and async mode.
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

// CHECK:      static vinyl::task<void> run_all_async(const int *fds) {
// CHECK-NEXT:   auto t = vinyl::spawn(worker, fds[0], std::string("direct"), 0);
// CHECK-NEXT:   auto u = vinyl::spawn([fd = fds[1]]() -> vinyl::task<void> { co_await vinyl::io::write(fd, "braced\n", 7); });
// CHECK-NEXT:   auto v = vinyl::spawn(worker, fds[2], "assigned", 2);
// CHECK-NEXT:   auto w = vinyl::spawn(worker, fds[3], "copy-braced", 3);
// CHECK-NEXT:   std::thread q(quiet, 4);
// CHECK-NEXT:   if (t.joinable())
// CHECK-NEXT:     co_await t.join();
// CHECK-NEXT:   co_await u.join();
// CHECK-NEXT:   co_await v.join();
// CHECK-NEXT:   co_await w.join();
// CHECK-NEXT:   q.join();
// CHECK-NEXT: }
// CHECK:      static void run_all(const int *fds) {
// CHECK-NEXT:   return vinyl::block_on(run_all_async(fds));
// CHECK-NEXT: }
// CHECK:        auto m = vinyl::spawn(worker, write_ends[4], "main", 4);
// CHECK-NEXT:   vinyl::block_on(m.join());

// OUT:      direct 0
// OUT-NEXT: braced
// OUT-NEXT: assigned 2
// OUT-NEXT: copy-braced 3
// OUT-NEXT: main 4

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

static void worker(int fd, std::string name, int n) {
  std::string line = name + " " + std::to_string(n) + "\n";
  ::write(fd, line.data(), line.size());
}

static void quiet(int n) { (void)n; }

static void run_all(const int *fds) {
  std::thread t(worker, fds[0], std::string("direct"), 0);
  std::thread u{[fd = fds[1]] { ::write(fd, "braced\n", 7); }};
  auto v = std::thread(worker, fds[2], "assigned", 2);
  std::thread w = std::thread{worker, fds[3], "copy-braced", 3};
  std::thread q(quiet, 4);
  if (t.joinable())
    t.join();
  u.join();
  v.join();
  w.join();
  q.join();
}

int main() {
  const int n = 5;
  int read_ends[n], write_ends[n];
  for (int i = 0; i < n; ++i) {
    int p[2];
    if (::pipe(p) != 0)
      return 1;
    read_ends[i] = p[0];
    write_ends[i] = p[1];
  }
  run_all(write_ends);
  std::thread m(worker, write_ends[4], "main", 4);
  m.join();
  for (int i = 0; i < n; ++i) {
    char buf[64];
    long got = ::read(read_ends[i], buf, sizeof buf);
    if (got > 0)
      std::fwrite(buf, 1, got, stdout);
  }
  std::fflush(stdout);
}
