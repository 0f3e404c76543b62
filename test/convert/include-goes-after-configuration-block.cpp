// The runtime's #include goes after the file's own includes, not inside a
// block that defines a configuration macro first (which clang's include
// insertion took for a header guard: compilers skip that block once the
// macro is defined, so `vinyl` was undeclared).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp -- -D_GNU_SOURCE
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both -D_GNU_SOURCE %t/a.cpp

// CHECK:      #ifndef _GNU_SOURCE
// CHECK-NEXT: #define _GNU_SOURCE
// CHECK-NEXT: #endif
// CHECK-NEXT: #include <unistd.h>
// CHECK-NEXT: #include <vinyl/vinyl.hpp>
// CHECK-EMPTY:
// CHECK-NEXT: vinyl::task<int> get_byte(int fd) {

//--- a.cpp
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <unistd.h>

int get_byte(int fd) {
  char c;
  if (::read(fd, &c, 1) != 1)
    return -1;
  return c;
}
int twice(int fd) { return get_byte(fd) + get_byte(fd); }
