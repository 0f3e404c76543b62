// `co_await` may not appear in a default argument, so a default argument
// calling an async function is refused with a located
// [vinyl-cannot-convert] error at that call, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:     a.cpp:9:24: error: {{.*}}'get'{{.*}} [vinyl-cannot-convert]
// CHECK-NOT: co_await

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int add(int a, int b = get(0)) { return a + b; }

int use() { return add(1); }
