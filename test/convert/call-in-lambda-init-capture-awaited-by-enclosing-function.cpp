// An init-capture (`[d = get(fd)]`) is evaluated where the lambda is made,
// by the enclosing function: its call is awaited there
// (`[d = co_await get(fd)]`, which both compilers accept), and the lambda,
// which does no I/O, stays a plain lambda. It used to be charged to the
// lambda, which then became a coroutine. Both compilers, both modes,
// print what the original printed; a second run writes nothing, and
// --check is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: cp %t/a.cpp %t.first.cpp && %vinyl %t && diff %t.first.cpp %t/a.cpp
// RUN: %vinyl --check %t

// CHECK:      static vinyl::task<int> twice_async(int fd) {
// CHECK-NEXT:   auto add = [d = co_await get_async(fd), e = 1](int x) { return d + e + x; };
// CHECK-NEXT:   co_return add(1) + add(2);
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
ab
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

static int twice(int fd) {
  auto add = [d = get(fd), e = 1](int x) { return d + e + x; };
  return add(1) + add(2);
}

int main() {
  int a = get(0);
  std::printf("%d %d\n", a, twice(0));
}
