// A public function whose definition leaves a parameter unnamed (kept for
// an interface) still gets its facade: the facade's copy of the signature
// names it where the declarator's name goes (`int vinyl_arg2`, also inside
// a function pointer's declarator) and forwards it. It used to be refused.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/api.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out

// CHECK:      vinyl::task<int> read_one_async(int fd, int, int (*)(int)) {
// CHECK:      int read_one(int fd, int vinyl_arg2, int (*vinyl_arg3)(int)) {
// CHECK-NEXT:   return vinyl::block_on(read_one_async(fd, vinyl_arg2, vinyl_arg3));
// CHECK-NEXT: }

//--- input
z
//--- api.h
#pragma once
int read_one(int fd, int flags, int (*filter)(int));
//--- api.cpp
#include "api.h"
#include <unistd.h>
int read_one(int fd, int, int (*)(int)) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
//--- a.cpp
#include "api.cpp"
#include <cstdio>
int main() { std::printf("%d\n", read_one(0, 0, nullptr)); }
