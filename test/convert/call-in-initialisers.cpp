// Calls in variable initialisers (copy, brace and `auto` forms, several
// declarators in one declaration, a `static` member via `new`) are awaited
// in place.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<int> inits(int fd) {
// CHECK-NEXT:   int a = co_await get(fd), b{co_await get(fd)};
// CHECK-NEXT:   auto c = co_await get(fd) * 2;
// CHECK-NEXT:   const long d(co_await get(fd));
// CHECK-NEXT:   int *e = new int(co_await get(fd));
// CHECK-NEXT:   int sum = a + b + c + int(d) + *e;
// CHECK-NEXT:   delete e;
// CHECK-NEXT:   co_return sum;
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int inits(int fd) {
  int a = get(fd), b{get(fd)};
  auto c = get(fd) * 2;
  const long d(get(fd));
  int *e = new int(get(fd));
  int sum = a + b + c + int(d) + *e;
  delete e;
  return sum;
}
