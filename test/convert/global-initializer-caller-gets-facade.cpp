// A call in the initializer of a namespace-scope variable runs outside any
// function, so it stays synchronous and its callee keeps a facade.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      static vinyl::task<int> get_async(int fd) {
// CHECK:      static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK-NEXT: int first_byte = get(0);

//--- a.cpp
#include <unistd.h>
static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
int first_byte = get(0);
