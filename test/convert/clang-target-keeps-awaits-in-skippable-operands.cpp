// When the compile database builds with clang++, no g++ workaround is
// written: an await stays where it was, in a skipped operand (`a && co_await
// f()`, a branch of ?:) and next to a ?: temporary, and a coroutine without
// locals gets no frame variable. clang++ evaluates them as the original
// did; the program prints the same, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb --compiler clang++-22 %t a.cpp
// RUN: %clangxx %cxxflags %t/a.cpp -o %t/orig && %t/orig < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %clangxx %cxxflags %t/a.cpp -pthread -o %t/conv
// RUN: %t/conv < %t/input.txt > %t/conv.out && diff %t/orig.out %t/conv.out
// RUN: env VINYL_IO=async %t/conv < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/conv.out

// CHECK: static vinyl::task<bool> start_async(int fd, bool want) { co_return want && co_await bind_ok(fd) && co_await next_byte(fd) == 'l'; }
// CHECK: static vinyl::task<int> get_or_async(int fd) { co_return left-- > 0 ? co_await next_byte(fd) : -1; }
// CHECK: static vinyl::task<std::size_t> label_async(int fd, bool c) { co_return co_await sized(fd, c ? std::string("long") : "x"); }

// OUT:      1 0
// OUT-NEXT: -1 98 108
// OUT-NEXT: 4 1

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
blbl!!
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>

static int next_byte(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
static bool bind_ok(int fd) { return next_byte(fd) == 'b'; }
static bool start(int fd, bool want) { return want && bind_ok(fd) && next_byte(fd) == 'l'; }
static int left = 2;
static int get_or(int fd) { return left-- > 0 ? next_byte(fd) : -1; }
static std::size_t sized(int fd, const std::string &s) { next_byte(fd); return s.size(); }
static std::size_t label(int fd, bool c) { return sized(fd, c ? std::string("long") : "x"); }
int main() {
  bool a = start(0, true), b = start(0, false);
  std::printf("%d %d\n", a, b);
  int x = get_or(0), y = get_or(0), z = get_or(0);
  std::printf("%d %d %d\n", z, x, y);
  std::size_t m = label(0, true), n = label(0, false);
  std::printf("%zu %zu\n", m, n);
}
