// Two lambdas of one inline function (here on one line) or of one function
// template are two functions: the one that reaches I/O becomes a coroutine
// lambda, the other stays as written. They used to share one id, so the
// plain one was refused as reaching I/O and blocked its enclosing function.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/h.h
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: %vinyl --check %t

// CHECK:      template <class T> vinyl::task<int> get_t_async(int fd) {
// CHECK:        auto none = [] { return 1; };
// CHECK-NEXT:   auto some = [fd, &c]() -> vinyl::task<ssize_t> { co_return co_await vinyl::io::read(fd, &c, 1); };
// CHECK-NEXT:   co_await some();
// CHECK-NEXT:   co_return c + none();
// CHECK:        auto none = [] { return 2; }; auto some = [fd, &c]() -> vinyl::task<ssize_t> { co_return co_await vinyl::io::read(fd, &c, 1); };

//--- input
ab
//--- h.h
#pragma once
#include <unistd.h>
template <class T> int get_t(int fd) {
  char c = 0;
  auto none = [] { return 1; };
  auto some = [fd, &c] { return ::read(fd, &c, 1); };
  some();
  return c + none();
}
inline int get(int fd) {
  char c = 0;
  auto none = [] { return 2; }; auto some = [fd, &c] { return ::read(fd, &c, 1); };
  some();
  return c + none() + get_t<int>(fd);
}
//--- a.cpp
#include "h.h"
#include <cstdio>
int main() { std::printf("%d\n", get(0)); }
