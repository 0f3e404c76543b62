// A function pointer type written inline keeps its signature where
// converting it could break code the tool does not rewrite: here a
// function of another library is stored as it (`::abs`, in a branch of a
// conditional), so `int (*)(int)` stays as written and `read_byte`,
// stored in it too, keeps a blocking facade that the pointer calls; and an
// alias `reader_t` holds a pointer made by a cast, which could point to
// any function. Each warning says why the type could not change. A type named by an alias outside the paths
// (a C library's `cmp_t`) never forms a family. The conversion lands,
// compiles with both compilers and prints what the original printed.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t/a.cpp 2> %t/err
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input > %t/clang-async.out && diff %t/expected %t/clang-async.out

// WARN: a.cpp:{{[0-9]+}}:{{[0-9]+}}: warning: the address of 'read_byte' is taken here, and it reaches blocking I/O: {{.*}} (its type 'int (*)(int)' keeps its signature: 'abs', declared outside the paths, is stored as it at {{.*}}) [vinyl-blocking-fallback]
// WARN: a.cpp:{{[0-9]+}}:{{[0-9]+}}: warning: the address of 'get_long' is taken here, and it reaches blocking I/O: {{.*}} (its type 'reader_t' keeps its signature: a value the tool cannot follow to the paths is stored as it at {{.*}}a.cpp:20:16) [vinyl-blocking-fallback]

// WARN: a.cpp:{{[0-9]+}}:{{[0-9]+}}: warning: the lambda in main() reaches blocking I/O but cannot become a coroutine{{.*}}[vinyl-blocking-fallback]
// WARN-NEXT: note: its closure is stored or passed on here, to code that calls it without awaiting

// CHECK: static int read_byte(int fd) {
// CHECK-NEXT:   return vinyl::block_on(read_byte_async(fd));
// CHECK: static int apply(int (*f)(int), int x) { return f(x); }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
xyz
//--- lib/cmp.h
#pragma once
#include <cstdlib>
typedef int (*cmp_t)(int, int);
inline int pick(cmp_t c, int a, int b) { return c(a, b) < 0 ? a : b; }
inline void *opaque() { return reinterpret_cast<void *>(&::labs); }
//--- a.cpp
#include "lib/cmp.h"
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

static int read_byte(int fd) {
  char c;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

static int apply(int (*f)(int), int x) { return f(x); }

using reader_t = long (*)(long);
static long get_long(long fd) { return read_byte(static_cast<int>(fd)); }
static long run(reader_t r, long x) { return r(x); }

int main(int argc, char **) {
  std::printf("%d %d\n", apply(read_byte, 0), apply(argc > 5 ? read_byte : ::abs, -4));
  // Any function could be behind a pointer made by a cast.
  reader_t y = reinterpret_cast<reader_t>(opaque());
  std::printf("%ld %ld\n", run(get_long, 0), run(y, -5));
  // The lambda writes, and converts to cmp_t, which pick calls.
  std::printf("%d\n", pick([](int a, int b) { (void)!::write(1, "", 0); return a - b; }, 3, 4));
}
