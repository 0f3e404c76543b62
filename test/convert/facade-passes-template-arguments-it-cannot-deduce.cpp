// A function template's facade calls exactly its own twin: template
// parameters the arguments do not deduce (`R` of `R command(A &&...)`) are
// passed explicitly, up to the last of them. Without them the twin's name
// also finds the renamed overload `command_async(const char *)`, which the
// call then resolves to: the converted program printed 8 where the
// original printed 4.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/cmd.h
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out

// CHECK:      template <class R, class... A> R command(A &&...a) {
// CHECK-NEXT:   return vinyl::block_on(command_async<R>(std::forward<A>(a)...));
// CHECK-NEXT: }
// CHECK:      inline int command(const char *s) {
// CHECK-NEXT:   return vinyl::block_on(command_async(s));
// CHECK-NEXT: }
// CHECK:      template <class T, int N> T scaled(T v) {
// CHECK-NEXT:   return vinyl::block_on(scaled_async<T, N>(v));
// CHECK-NEXT: }

// OUT: 4 8 6

//--- cmd.h
#pragma once
#include <unistd.h>
#include <utility>

inline long sent(const char *s, unsigned long n) {
  int p[2];
  if (::pipe(p) != 0)
    return -1;
  long w = ::write(p[1], s, n);
  ::close(p[0]);
  ::close(p[1]);
  return w;
}

template <class R, class... A> R command(A &&...a) {
  return static_cast<R>(sent("ping", 4) * sizeof...(a));
}

inline int command(const char *s) {
  return static_cast<int>(sent(s, 8));
}

template <class T, int N> T scaled(T v) {
  return static_cast<T>(sent("xy", 2) * N + v);
}
//--- a.cpp
#include "cmd.h"
#include <cstdio>

int main() {
  std::printf("%d %d %d\n", command<int>("x"), command("12345678"),
              scaled<int, 3>(0));
}
