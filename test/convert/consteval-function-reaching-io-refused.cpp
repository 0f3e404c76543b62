// A consteval function that reaches I/O (on a branch constant evaluation
// never takes) cannot be a coroutine: refused at the function, named as
// consteval, with the chain to the leaf, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:9:15: error: consteval function 'twice' reaches blocking I/O but cannot become a coroutine [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:9:51: note: 'twice' calls 'get' here
// CHECK-NEXT: a.cpp:5:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

consteval int twice(int fd) { return fd < 0 ? 0 : get(fd) * 2; }

int main() { return twice(-1); }
