// A using-declaration that names a function given a facade (`using
// detail::query;`) names its coroutine too (`using detail::query,
// detail::query_async;`), once however many overloads it names, so that
// the converted calls that reach it unqualified still find it. The
// converted program builds with both compilers, prints what the original
// prints in both modes, and is at the fixpoint.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/lib.h
// RUN: FileCheck %s --check-prefix=USE --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: %vinyl --check %t

// CHECK: vinyl::task<int> next_async(int fd);
// CHECK-NEXT: int next(int fd);
// USE: using detail::next, detail::next_async;
// USE-NEXT: using detail::Counter;
// USE: vinyl::task<int> total_async(int fd) {
// USE-NEXT:   co_return co_await next_async(fd) + co_await next_async(fd, 2);

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdef
//--- lib.h
#pragma once
namespace detail {
struct Counter {
  int n = 0;
};
int next(int fd);
int next(int fd, int times);
} // namespace detail
//--- a.cpp
#include "lib.h"

#include <cstdio>
#include <unistd.h>

namespace detail {
int next(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
int next(int fd, int times) {
  int sum = 0;
  for (int i = 0; i < times; ++i)
    sum += next(fd);
  return sum;
}
} // namespace detail

using detail::next;
using detail::Counter;

int total(int fd) {
  return next(fd) + next(fd, 2);
}

int main() {
  Counter c;
  c.n = total(0);
  std::printf("%d\n", c.n);
}
