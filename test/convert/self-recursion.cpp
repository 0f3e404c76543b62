// A function that calls itself and reaches I/O awaits its own recursive
// calls.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<long> skip(int fd, long n) {
// CHECK-NEXT:   if (n <= 0)
// CHECK-NEXT:     co_return 0;
// CHECK-NEXT:   char c;
// CHECK-NEXT:   long got = co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return got + co_await skip(fd, n - 1);
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>
long skip(int fd, long n) {
  if (n <= 0)
    return 0;
  char c;
  long got = ::read(fd, &c, 1);
  return got + skip(fd, n - 1);
}
