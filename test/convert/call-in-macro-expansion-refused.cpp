// A call that must be awaited but is written by a macro expansion cannot be
// rewritten as text: the tool refuses at the expansion, explains the chain,
// exits 2 and writes nothing.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:12:10: error: call of 'get' cannot be awaited: it is written inside a macro expansion [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:5:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

#define TWICE(fd) (get(fd) + get(fd))

int pair(int fd) {
  return TWICE(fd);
}
