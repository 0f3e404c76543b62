// A `static` function defined in a header is a copy per unit. Its facade
// is `[[maybe_unused]]`: in a unit whose calls of it all became awaits of
// the coroutine (a.cpp) the facade is unused, which -Wunused-function
// (an error under -Werror) would report. The unit that still calls it
// synchronously (main.cpp) uses it. Both compilers build the converted
// units with -Wall -Wextra -Werror and print what the original printed,
// in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp main.cpp
// RUN: %build-both %t/orig %t/a.cpp %t/main.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/util.h
// RUN: %build-both %t/conv %t/a.cpp %t/main.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input > %t/clang-async.out && diff %t/expected %t/clang-async.out

// CHECK:      static vinyl::task<int> get_async(int fd) {
// CHECK:      {{\[\[maybe_unused\]\]}} static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
abc
//--- util.h
#pragma once
#include <unistd.h>
static int get(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
//--- a.cpp
#include "util.h"
int total(int fd) { return get(fd) + 1; }
//--- main.cpp
#include "util.h"
#include <cstdio>
int total(int fd);
int main() {
  int x = get(0);
  std::printf("%d %d\n", x, total(0));
}
