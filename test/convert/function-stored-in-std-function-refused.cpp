// A named async function stored in a std::function (not a callback type
// the rules name) escapes: calls through the std::function could not be
// awaited. Refused at the use with the chain, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:10:43: error: the address of 'get' is taken here, but it reaches blocking I/O: a call through the pointer could not be awaited [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:6:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <functional>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

std::function<int(int)> reader() { return get; }
