// A header that two TUs reach under different spellings (`src/api.h` next
// to the includer, `/abs/src/api.h` through -I) is one file: its
// declarations get each edit once, not once per spelling.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t src/a.cpp src/sub/b.cpp -- -I%t/src
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/src/api.h
// RUN: %compile-both -I%t/src %t/src/a.cpp %t/src/sub/b.cpp
// RUN: %vinyl --check %t

//      CHECK:#pragma once
// CHECK-NEXT:#include <vinyl/vinyl.hpp>
// CHECK-NEXT:vinyl::task<int> get_async(int fd);
// CHECK-NEXT:int get(int fd);
// CHECK-NEXT:vinyl::task<int> twice_async(int fd);
// CHECK-NEXT:int twice(int fd);
// CHECK-EMPTY:
// CHECK-NEXT:inline int base() { return 1; }

//--- src/api.h
#pragma once
int get(int fd);
int twice(int fd);

inline int base() { return 1; }
//--- src/a.cpp
#include "api.h"
#include <unistd.h>

int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c + base();
}
//--- src/sub/b.cpp
#include "api.h"

int twice(int fd) { return get(fd) * 2; }
