// An async function whose address escapes through a plain function pointer
// (the pointer type cannot change with it here) is refused with a located
// [vinyl-cannot-convert] error at the use, explaining the chain; exit 2 and
// nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:10:36: error: the address of 'get' is taken here, but it reaches blocking I/O: a call through the pointer could not be awaited [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:5:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

extern "C" void register_callback(int (*cb)(int)) { (void)cb; }
void install() { register_callback(get); }
