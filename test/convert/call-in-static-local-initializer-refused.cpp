// [expr.await]: `co_await` may not appear in the initializer of a block
// variable with static storage duration (its guard would be held across a
// suspension). Compilers do not diagnose it, so the tool must: a located
// [vinyl-cannot-convert] error at the call, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK: a.cpp:10:18: error: {{.*}}'get'{{.*}} [vinyl-cannot-convert]

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int first(int fd) {
  static int v = get(fd);
  return v;
}
