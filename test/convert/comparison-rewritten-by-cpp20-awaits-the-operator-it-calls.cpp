// C++20 rewrites a comparison the class has no operator for into a call
// of one it has: `c != end` is `!(c == end)`, `end == c` is `c == end`,
// `c < n` is `(c <=> n) < 0` and `n >= c` is `0 >= (c <=> n)`. When that
// operator reaches I/O, the await goes around the call C++20 makes,
// written out (`!co_await (c == end)`): a task cannot be compared or
// negated. Swapped operands that make no call are written in the order of
// the call. Both targets write the same comparisons; both compilers, both modes,
// print what the original printed; a second run writes nothing, and
// --check is clean.
// RUN: rm -rf %t && split-file %s %t && cp -r %t/src %t/clang
// RUN: %mkdb %t/src a.cpp && %mkdb --compiler clang++-22 %t/clang a.cpp
// RUN: %build-both %t/orig %t/src/a.cpp
// RUN: %t/orig.gcc > %t/expected
// RUN: %vinyl %t/src && %vinyl %t/clang
// RUN: FileCheck %s --match-full-lines --input-file=%t/src/a.cpp
// RUN: FileCheck %s --match-full-lines --input-file=%t/clang/a.cpp
// RUN: %build-both %t/conv %t/src/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: %clangxx %cxxflags -pthread -o %t/conv-clang %t/clang/a.cpp
// RUN: %t/conv-clang > %t/clang-target.out && diff %t/expected %t/clang-target.out
// RUN: cp %t/src/a.cpp %t.first.cpp && %vinyl %t/src && diff %t.first.cpp %t/src/a.cpp
// RUN: %vinyl --check %t/src

// CHECK:      static vinyl::task<int> walk_async(Cursor &c, int end) {
// CHECK-NEXT:   int steps = 0;
// CHECK-NEXT:   while (!co_await (c == end)) {
// CHECK:        if (co_await (c == end))
// CHECK-NEXT:     steps += 10;
// CHECK-NEXT:   if (!co_await (c == end))
// CHECK-NEXT:     steps += 1000;
// CHECK-NEXT:   if ((co_await (c <=> end + 1) < 0) && (co_await (c <=> end) >= 0))
// CHECK-NEXT:     steps += 100;
// CHECK-NEXT:   if ((0 >= co_await (c <=> end - 1)))
// CHECK-NEXT:     steps += 10000;
// CHECK-NEXT:   bool after = (0 > co_await (c <=> end + 2));
// CHECK-NEXT:   co_return steps + after;
// CHECK-NEXT: }

//--- src/.vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- src/a.cpp
#include <compare>
#include <cstdio>
#include <unistd.h>

// A cursor that asks the peer before it compares.
struct Cursor {
  int fd = 1;
  int pos = 0;
  bool operator==(int end) const {
    (void)!::write(fd, "", 0);
    return pos == end;
  }
  std::strong_ordering operator<=>(int end) const {
    (void)!::write(fd, "", 0);
    return pos <=> end;
  }
};

static int walk(Cursor &c, int end) {
  int steps = 0;
  while (c != end) {
    ++c.pos;
    ++steps;
  }
  if (end == c)
    steps += 10;
  if (end != c)
    steps += 1000;
  if (c < end + 1 && c >= end)
    steps += 100;
  if (end - 1 >= c)
    steps += 10000;
  bool after = end + 2 > c;
  return steps + after;
}

int main() {
  Cursor c;
  std::printf("%d\n", walk(c, 3));
}
