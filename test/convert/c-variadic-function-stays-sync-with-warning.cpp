// A C variadic function cannot be a coroutine: when it reaches I/O it stays
// synchronous and calls the blocking facade of `get`, with one located
// warning; the conversion lands and the program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out

// WARN:      a.cpp:11:5: warning: C variadic function 'sum' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:16:10: note: 'sum' calls 'get' here
// WARN-NEXT: a.cpp:7:3: note: 'get' calls 'read' here

// CHECK:      static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK:          s += get(va_arg(ap, int));

//--- input
abc
//--- a.cpp
#include <cstdarg>
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += get(va_arg(ap, int));
  va_end(ap);
  return s;
}

int main() { std::printf("%d\n", sum(2, 0, 0)); }
