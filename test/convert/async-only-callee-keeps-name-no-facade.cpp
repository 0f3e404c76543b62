// A function called only from code that becomes async (and not declared in
// a header) keeps its name and gets no facade; only the entry point that
// synchronous code calls gets one.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<int> inner(int fd) {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: vinyl::task<int> outer_async(int fd) { co_return co_await inner(fd) + 1; }
// CHECK-EMPTY:
// CHECK-NEXT: int outer(int fd) {
// CHECK-NEXT:   return vinyl::block_on(outer_async(fd));
// CHECK-NEXT: }
// CHECK-NOT:  inner_async

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <unistd.h>

int inner(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int outer(int fd) { return inner(fd) + 1; }

int main() { return outer(0); }
