// A function declared with a trailing return type `auto f() -> int` is
// converted: its result type becomes `vinyl::task<int>`, kept trailing
// (`auto f() -> vinyl::task<int>`) or moved to the front.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      {{auto get\(int fd\) -> vinyl::task<int>|vinyl::task<int> get\(int fd\)}} {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: }
// CHECK:      {{auto twice\(int fd\) -> vinyl::task<int>|vinyl::task<int> twice\(int fd\)}} { co_return 2 * co_await get(fd); }

//--- a.cpp
#include <unistd.h>

auto get(int fd) -> int {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

auto twice(int fd) -> int { return 2 * get(fd); }
