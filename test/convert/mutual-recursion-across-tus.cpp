// Functions calling each other across two translation units (and one
// calling itself) all become coroutines awaiting each other; the converted
// program prints the same as the original with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t even.cpp odd.cpp main.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/even.cpp %t/odd.cpp %t/main.cpp
// RUN: %t.orig-bin < %t/input.txt > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=EVEN --match-full-lines --input-file=%t/even.cpp
// RUN: FileCheck %s --check-prefix=ODD --match-full-lines --input-file=%t/odd.cpp
// RUN: %build-both %t.conv %t/even.cpp %t/odd.cpp %t/main.cpp
// RUN: %t.conv.gcc < %t/input.txt > %t.gcc
// RUN: %t.conv.clang < %t/input.txt > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// EVEN:      vinyl::task<int> sum_even_async(int fd, int n) {
// EVEN-NEXT:   if (n == 0)
// EVEN-NEXT:     co_return 0;
// EVEN-NEXT:   co_return co_await byte(fd) + co_await sum_odd_async(fd, n - 1);
// EVEN-NEXT: }
// EVEN:      vinyl::task<int> count_down_async(int fd, int n) {
// EVEN-NEXT:   if (n == 0)
// EVEN-NEXT:     co_return 0;
// EVEN-NEXT:   co_return co_await byte(fd) + co_await count_down_async(fd, n - 1);
// EVEN-NEXT: }

// ODD:      vinyl::task<int> sum_odd_async(int fd, int n) {
// ODD-NEXT:   if (n == 0)
// ODD-NEXT:     co_return 0;
// ODD-NEXT:   co_return -co_await sum_even_async(fd, n - 1);
// ODD-NEXT: }

//--- input.txt
ABCDEFGH
//--- p.h
#pragma once
int sum_even(int fd, int n);
int sum_odd(int fd, int n);
int count_down(int fd, int n);
//--- even.cpp
#include "p.h"
#include <unistd.h>

static int byte(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int sum_even(int fd, int n) {
  if (n == 0)
    return 0;
  return byte(fd) + sum_odd(fd, n - 1);
}

int count_down(int fd, int n) {
  if (n == 0)
    return 0;
  return byte(fd) + count_down(fd, n - 1);
}
//--- odd.cpp
#include "p.h"

int sum_odd(int fd, int n) {
  if (n == 0)
    return 0;
  return -sum_even(fd, n - 1);
}
//--- main.cpp
#include "p.h"
#include <cstdio>

int main() {
  std::printf("%d\n", sum_even(0, 4));
  std::printf("%d\n", count_down(0, 3));
}
