// A call under a prefix unary operator (`!`, `-`, `~`, `*`, a cast) is
// awaited without parentheses: `co_await` binds as tightly as they do.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<int> unary(int fd) {
// CHECK-NEXT:   int a = !co_await ok(fd) + -co_await get(fd) + ~co_await get(fd);
// CHECK-NEXT:   int b = *co_await ptr(fd) + (int)co_await get(fd);
// CHECK-NEXT:   co_return a + b;
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

static bool ok(int fd) { return get(fd) != 0; }

static int *ptr(int fd) {
  static int v;
  v = get(fd);
  return &v;
}

int unary(int fd) {
  int a = !ok(fd) + -get(fd) + ~get(fd);
  int b = *ptr(fd) + (int)get(fd);
  return a + b;
}
