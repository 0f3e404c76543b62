// An immediately invoked lambda with a written return type keeps it inside
// vinyl::task<...>, and the invocation is awaited (the temporary closure
// lives until the end of the full-expression, across the co_await).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<long> first(int fd) {
// CHECK-NEXT:   const long n = co_await [fd]() -> vinyl::task<long> {
// CHECK-NEXT:     char c = 0;
// CHECK-NEXT:     co_return co_await vinyl::io::read(fd, &c, 1) == 1 ? c : -1L;
// CHECK-NEXT:   }();
// CHECK-NEXT:   co_return n;
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

long first(int fd) {
  const long n = [fd]() -> long {
    char c = 0;
    return ::read(fd, &c, 1) == 1 ? c : -1L;
  }();
  return n;
}
