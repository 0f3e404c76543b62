// An `auto` function whose deduced type cannot be written outside it (a
// struct declared in its body, a closure) cannot become a coroutine: its
// task type could not be spelled. It stays synchronous, its leaf waited
// for with block_on, with a located [vinyl-blocking-fallback] warning
// whose note names the type; the rest converts (`total` awaits `get`).
// Both compilers, both modes, print what the original printed; a second
// run writes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t 2> %t/warnings
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/warnings
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: cp %t/a.cpp %t.first.cpp && %vinyl %t 2> /dev/null && diff %t.first.cpp %t/a.cpp

// CHECK:      static auto pair_of(int fd) {
// CHECK-NEXT:   struct Pair {
// CHECK:        int a = get(fd);
// CHECK:      static auto reader(int fd) {
// CHECK-NEXT:   return [fd] { return get(fd); };
// CHECK:      static vinyl::task<int> total_async(int fd) { co_return co_await get_async(fd) + pair_of(fd).sum() + reader(fd)(); }

// WARN: a.cpp:10:13: warning: function 'pair_of' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:10:13: note: its deduced return type cannot be written outside it: 'Pair' is declared inside a function

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
abcdefgh
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

// A pair local to the function that makes it.
static auto pair_of(int fd) {
  struct Pair {
    int a, b;
    int sum() const { return a + b; }
  };
  int a = get(fd);
  return Pair{a, get(fd)};
}

// A reader whose closure type has no name.
static auto reader(int fd) {
  return [fd] { return get(fd); };
}

static int total(int fd) { return get(fd) + pair_of(fd).sum() + reader(fd)(); }

int main() {
  int first = get(0);
  std::printf("%d %d\n", first, total(0));
}
