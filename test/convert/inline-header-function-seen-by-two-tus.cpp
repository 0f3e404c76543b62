// An inline function defined in a header included by two translation
// units is converted once: the edits both units find are merged, not
// applied twice.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/io.h
// RUN: %compile-both %t/a.cpp %t/b.cpp
// RUN: %build-both %t.conv %t/a.cpp %t/b.cpp

// CHECK:      #pragma once
// CHECK-NEXT: #include <unistd.h>
// CHECK-NEXT: #include <vinyl/vinyl.hpp>
// CHECK-NEXT: inline vinyl::task<int> get_async(int fd) {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: inline int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK-NOT:  {{.}}

//--- io.h
#pragma once
#include <unistd.h>
inline int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
//--- a.cpp
#include "io.h"
int a(int fd) { return get(fd); }
//--- b.cpp
#include "io.h"
int b(int fd) { return get(fd) + 1; }
int main() { return b(0) == 0 ? 0 : 1; }
