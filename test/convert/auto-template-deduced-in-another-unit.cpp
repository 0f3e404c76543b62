// An `auto` member template that reaches I/O, instantiated in one unit
// (main.cpp) and only declared in another (lib.cpp, which defines what it
// calls): the unit that instantiates it knows the result type, and the
// conversion spells it (was: refused, "its deduced return type is not
// known here", when lib.cpp's facts came first). An `auto` template no
// unit instantiates stays synchronous with a warning instead of refusing
// the run. The program prints what the original prints in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t lib.cpp main.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/lib.cpp %t/main.cpp
// RUN: %t.orig-bin < %t/input.txt > %t.expected
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/h.hpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: %build-both %t.conv %t/lib.cpp %t/main.cpp -pthread
// RUN: %t.conv.gcc < %t/input.txt > %t.gcc && diff %t.expected %t.gcc
// RUN: %t.conv.clang < %t/input.txt > %t.clang && diff %t.expected %t.clang
// RUN: env VINYL_IO=async %t.conv.gcc < %t/input.txt > %t.async && diff %t.expected %t.async

// CHECK:   template <typename... As> vinyl::task<result> execute_async(int fd, As &&...) { co_return co_await get_result_async(fd); }
// CHECK:   template <typename... As> vinyl::task<result> execute_async(int fd, As &&...as) { co_return co_await t.execute_async(fd, as...); }
// CHECK:   template <typename... As> auto unused(int fd, As &&...) { return t.get_result(fd); }

// WARN: h.hpp:[[#]]:[[#]]: warning: function 'conn::unused' reaches blocking I/O but cannot become a coroutine: it stays synchronous
// WARN: note: its `auto` result type is known in no translation unit (none instantiates it), so its coroutine's type cannot be written

//--- input.txt
abcdefgh
//--- h.hpp
#pragma once
struct result { long n; };
struct tx {
  result get_result(int fd);
  template <typename... As> auto execute(int fd, As &&...) { return get_result(fd); }
};
struct conn {
  tx t;
  template <typename... As> auto execute(int fd, As &&...as) { return t.execute(fd, as...); }
  template <typename... As> auto unused(int fd, As &&...) { return t.get_result(fd); }
};
//--- lib.cpp
#include "h.hpp"
#include <unistd.h>
result tx::get_result(int fd) { char c[4]; return result{::read(fd, c, sizeof c)}; }
//--- main.cpp
#include "h.hpp"
#include <cstdio>
int main() { conn c; std::printf("%ld\n", c.execute(0, 1).n); }
