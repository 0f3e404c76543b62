// A call in an unevaluated operand (`decltype`, `sizeof`) does not run, so
// it cannot be awaited, and converting its callee changes the operand's
// type: the tool refuses with a located [vinyl-cannot-convert] error at
// that use (not a compiler error about its own output), exit 2, nothing
// written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:     a.cpp:11:22: error: {{.*}}'get'{{.*}} [vinyl-cannot-convert]
// CHECK-NOT: co_await

//--- a.cpp
#include <cstddef>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

std::size_t width() {
  using T = decltype(get(0));
  return sizeof(T);
}
