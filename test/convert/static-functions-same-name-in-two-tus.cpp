// Two `static` functions with the same name in two translation units are
// different functions: only the one reaching I/O is converted, the other
// and its caller stay as they were.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: cp %t/b.cpp %t/b.orig
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: diff %t/b.orig %t/b.cpp
// RUN: %compile-both %t/a.cpp %t/b.cpp

// CHECK:      static vinyl::task<int> helper(int fd) {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: }
// CHECK-NEXT: vinyl::task<int> from_a(int fd) { co_return co_await helper(fd); }

//--- a.cpp
#include <unistd.h>
static int helper(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
int from_a(int fd) { return helper(fd); }
//--- b.cpp
static int helper(int x) { return x * 2; }
int from_b(int x) { return helper(x); }
