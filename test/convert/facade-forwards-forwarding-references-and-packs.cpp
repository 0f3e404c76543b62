// A function template's facade hands its parameters on as the caller gave
// them: a forwarding reference `S &&s` with std::forward<S>(s) (an lvalue
// stays an lvalue and is not moved from), a pack `A... a` as `a...`. The
// converted program prints what the original printed (the caller's string
// is intact after the call), with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/io.h
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      template <class S> int send_str(int fd, S &&s) {
// CHECK-NEXT:   return vinyl::block_on(send_str_async(fd, std::forward<S>(s)));
// CHECK-NEXT: }
// CHECK:      template <class... A> int put_all(int fd, A... a) {
// CHECK-NEXT:   return vinyl::block_on(put_all_async(fd, a...));
// CHECK-NEXT: }

// OUT: 6 [hello] 3

//--- io.h
#pragma once
#include <string>
#include <unistd.h>
#include <utility>

template <class S> int send_str(int fd, S &&s) {
  std::string own = std::forward<S>(s);
  own += "\n";
  return static_cast<int>(::write(fd, own.data(), own.size()));
}

template <class... A> int put_all(int fd, A... a) {
  char buf[] = {static_cast<char>(a)...};
  return static_cast<int>(::write(fd, buf, sizeof buf));
}
//--- a.cpp
#include "io.h"
#include <cstdio>

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  std::string greeting = "hello";
  int n = send_str(p[1], greeting);
  int m = put_all(p[1], 'x', 'y', 'z');
  std::printf("%d [%s] %d\n", n, greeting.c_str(), m);
}
