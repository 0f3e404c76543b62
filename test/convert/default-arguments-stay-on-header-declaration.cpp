// Default arguments stay on the header declaration (of both the coroutine
// and the facade) and are not repeated on the definitions, so callers that
// omit them keep compiling (here, a coroutine in another unit).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/api.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=OTHER --match-full-lines --input-file=%t/b.cpp
// RUN: %compile-both %t/a.cpp %t/b.cpp

// HDR:      vinyl::task<int> get_async(int fd, int skip = 0);
// HDR-NEXT: int get(int fd, int skip = 0);

// CHECK:      vinyl::task<int> get_async(int fd, int skip) {
// CHECK:      int get(int fd, int skip) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd, skip));
// CHECK-NEXT: }
// CHECK:      vinyl::task<int> get_default(int fd) { co_return co_await get_async(fd); }

// OTHER: vinyl::task<int> from_other_tu() { co_return co_await get_async(0) + co_await get_async(0, 2); }

//--- api.h
#pragma once
int get(int fd, int skip = 0);
//--- a.cpp
#include "api.h"
#include <unistd.h>

int get(int fd, int skip) {
  char c = 0;
  for (int i = 0; i <= skip; ++i)
    ::read(fd, &c, 1);
  return c;
}

int get_default(int fd) { return get(fd); }
//--- b.cpp
#include "api.h"
int from_other_tu() { return get(0) + get(0, 2); }
