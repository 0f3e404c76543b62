// A call that would need `co_await` inside the braces of a
// std::initializer_list is refused at its location (g++ 12.2 rejects a
// co_await there with "array used as initializer"), and nothing is written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2
// CHECK: a.cpp:12:14: error: call of 'get' cannot be awaited: it is in a braced initializer list, where g++ 12 cannot compile co_await; hoist it into a variable [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:6:3: note: 'get' calls 'read' here

//--- a.cpp
#include <unistd.h>
#include <vector>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

std::vector<int> two(int fd) {
  int a = get(fd);
  return {a, get(fd)};
}
