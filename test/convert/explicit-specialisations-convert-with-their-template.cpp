// Explicit specialisations of a function template (`template <> int
// get<int>(int)`) must keep matching the template, so they convert with it
// as one family: the template, declared in a header and defined only
// through its specialisations, becomes `vinyl::task<T> get_async(int)`,
// each specialisation `vinyl::task<int> get_async<int>(int)`, and the
// facade is a definition of the old template written where it was
// declared, which serves every specialisation
// (`get<char>` -> block_on(get_async<char>)). Async callers await the
// specialisations by their new name. Both compilers, both modes, a second
// run finds nothing, and --explain says why the template is async.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t --explain get > %t/explain.txt
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t/explain.txt
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines --input-file=%t/get.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: cp %t/a.cpp %t/a.once && %vinyl %t && diff %t/a.once %t/a.cpp
// RUN: %vinyl --check %t

// EXPLAIN:      get ({{.*}}get.h:3:22) is async, with a blocking facade: 1 path to blocking I/O
// EXPLAIN-NEXT: `- is an explicit specialisation, or the template, of get

// HEADER:      template <class T> vinyl::task<T> get_async(int fd);
// HEADER-EMPTY:
// HEADER-NEXT: template <class T> T get(int fd) {
// HEADER-NEXT:   return vinyl::block_on(get_async<T>(fd));
// HEADER-NEXT: }

// CHECK:      template <> vinyl::task<int> get_async<int>(int fd) {
// CHECK:      template <> vinyl::task<char> get_async<char>(int fd) {
// CHECK:      static vinyl::task<long> sum_async(int fd) { co_return co_await get_async<int>(fd) + co_await get_async<char>(fd); }
// CHECK:        char last = get<char>(p[0]);

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- get.h
#pragma once

template <class T> T get(int fd);
//--- a.cpp
#include "get.h"

#include <cstdio>
#include <unistd.h>

template <> int get<int>(int fd) {
  int v = 0;
  if (::read(fd, &v, sizeof v) != sizeof v)
    return -1;
  return v;
}

template <> char get<char>(int fd) {
  char c = 0;
  if (::read(fd, &c, 1) != 1)
    return '?';
  return c;
}

static long sum(int fd) { return get<int>(fd) + get<char>(fd); }

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  int v = 40;
  if (::write(p[1], &v, sizeof v) != sizeof v || ::write(p[1], "\2z", 2) != 2)
    return 1;
  long total = sum(p[0]);
  char last = get<char>(p[0]);
  std::printf("%ld %c\n", total, last);
}
