// `main` never becomes a coroutine: a leaf called directly in it stays
// blocking, and a function it calls keeps its name and signature as a
// blocking facade over the `_async` coroutine.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      static vinyl::task<int> get_async(int fd) {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int main() {
// CHECK-NEXT:   char c = 'x';
// CHECK-NEXT:   ::write(1, &c, 1);
// CHECK-NEXT:   return get(0);
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int main() {
  char c = 'x';
  ::write(1, &c, 1);
  return get(0);
}
