// Attributes written before a declaration (`[[nodiscard]]`,
// `__attribute__((warn_unused_result))`) were said to the callers of the
// old name: the facade's copy of the declaration, and the facade defined
// from it, keep them, as the coroutine does. A caller that drops the
// facade's result is still warned (g++ 12 warns for the first only, as it
// does for the original); the converted program prints what the original
// printed.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t api.cpp main.cpp
// RUN: %build-both %t/orig %t/api.cpp %t/main.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t/api.cpp %t/api.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/api.h
// RUN: FileCheck %s --check-prefix=DEF --match-full-lines --input-file=%t/api.cpp
// RUN: %build-both %t/conv %t/api.cpp %t/main.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/expected %t/clang.out
// RUN: not %gxx %cxxflags -fsyntax-only %t/drops.cpp 2>&1 | FileCheck %s --check-prefix=DROPS
// RUN: not %clangxx %cxxflags -fsyntax-only %t/drops.cpp 2>&1 | FileCheck %s --check-prefixes=DROPS,CLANG-DROPS

// CHECK:      {{\[\[nodiscard\]\]}} vinyl::task<int> get_async(int fd);
// CHECK-NEXT: {{\[\[nodiscard\]\]}} int get(int fd);
// CHECK-NEXT: __attribute__((warn_unused_result)) vinyl::task<int> put_async(int fd);
// CHECK-NEXT: __attribute__((warn_unused_result)) int put(int fd);
// CHECK-NEXT: vinyl::task<int> plain_async(int fd);
// CHECK-NEXT: int plain(int fd);

// DEF:      {{\[\[nodiscard\]\]}} int get(int fd) {
// DEF-NEXT:   return vinyl::block_on(get_async(fd));
// DEF-NEXT: }

// DROPS: drops.cpp:4:{{[0-9]+}}: error: ignoring return value
// CLANG-DROPS: drops.cpp:5:{{[0-9]+}}: error: ignoring return value

//--- input
ab
//--- api.h
#pragma once
[[nodiscard]] int get(int fd);
__attribute__((warn_unused_result)) int put(int fd);
int plain(int fd);
//--- api.cpp
#include "api.h"
#include <unistd.h>
[[nodiscard]] int get(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
int put(int fd) { return (int)::write(fd, "put\n", 4); }
int plain(int fd) { return get(fd); }
//--- main.cpp
#include "api.h"
#include <cstdio>
int main() {
  int a = get(0);
  int b = plain(0);
  std::printf("%d %d %d\n", a, b, put(1));
}
//--- drops.cpp
#include "api.h"
// Drops the results the attributes ask to be used.
void drop() {
  get(0);
  put(1);
}
