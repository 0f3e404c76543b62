// A C variadic function cannot be a coroutine: when it reaches I/O the
// tool refuses at the function with the chain to the leaf, exits 2 and
// writes nothing.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:10:5: error: C variadic function 'sum' reaches blocking I/O but cannot become a coroutine [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:15:10: note: 'sum' calls 'get' here
// CHECK-NEXT: a.cpp:6:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <cstdarg>
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
