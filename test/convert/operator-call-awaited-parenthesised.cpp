// An overloaded operator reaching I/O becomes a coroutine keeping its name;
// each use is awaited with the operator expression parenthesised, chained
// uses nest: `co_await (co_await (r >> a) >> b)`.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      static vinyl::task<Reader &>{{ ?}}operator>>(Reader &r, int &x) {
// CHECK:      vinyl::task<int> two(Reader &r) {
// CHECK-NEXT:   int a, b;
// CHECK-NEXT:   co_await (co_await (r >> a) >> b);
// CHECK-NEXT:   co_return a + b;
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

struct Reader {
  int fd;
};

static Reader &operator>>(Reader &r, int &x) {
  char c = 0;
  ::read(r.fd, &c, 1);
  x = c;
  return r;
}

int two(Reader &r) {
  int a, b;
  r >> a >> b;
  return a + b;
}
