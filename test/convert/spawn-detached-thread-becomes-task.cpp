// A detached thread whose function reaches I/O, `std::thread(f, args).detach()`
// (a spawn rule in rules/posix.yaml), becomes `vinyl::spawn(f, args)`; a
// detached thread running a lambda that reaches I/O spawns the coroutine
// lambda. Threads whose function does no I/O are left alone, and starting a
// task does not make the caller async. The converted program prints the
// same in blocking and async mode.
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

// CHECK:      static vinyl::task<void> report(int fd, std::string name, int n) {
// CHECK:      static void start_all(const int *fds, int n) {
// CHECK-NEXT:   for (int i = 0; i < n; ++i)
// CHECK-NEXT:     vinyl::spawn(report, fds[i], std::string("worker"), i);
// CHECK-NEXT:   vinyl::spawn([fd = fds[n]]() -> vinyl::task<void> {
// CHECK-NEXT:     co_await vinyl::io::write(fd, "lambda\n", 7);
// CHECK-NEXT:     ::close(fd);
// CHECK-NEXT:   });
// CHECK-NEXT:   std::thread(quiet, n).detach();
// CHECK-NEXT: }

// OUT:      worker 0
// OUT-NEXT: worker 1
// OUT-NEXT: worker 2
// OUT-NEXT: lambda

//--- a.cpp
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

static void report(int fd, std::string name, int n) {
  std::string line = name + " " + std::to_string(n) + "\n";
  ::write(fd, line.data(), line.size());
  ::close(fd);
}

static void quiet(int n) { (void)n; }

static void start_all(const int *fds, int n) {
  for (int i = 0; i < n; ++i)
    std::thread(report, fds[i], std::string("worker"), i).detach();
  std::thread([fd = fds[n]] {
    ::write(fd, "lambda\n", 7);
    ::close(fd);
  }).detach();
  std::thread(quiet, n).detach();
}

int main() {
  const int n = 3;
  int read_ends[n + 1], write_ends[n + 1];
  for (int i = 0; i <= n; ++i) {
    int p[2];
    if (::pipe(p) != 0)
      return 1;
    read_ends[i] = p[0];
    write_ends[i] = p[1];
  }
  start_all(write_ends, n);
  for (int i = 0; i <= n; ++i) {
    char buf[64];
    long got = ::read(read_ends[i], buf, sizeof buf);
    if (got > 0)
      std::fwrite(buf, 1, got, stdout);
  }
  std::fflush(stdout);
}
