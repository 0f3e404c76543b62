// A std::function alias named by `callback_types` (a typedef in a header,
// the rule in the project's .vinyl.yaml): a function stored as it reaches
// I/O, so the alias becomes std::function<vinyl::task<void>(...)>, the
// function a coroutine, and calls through the alias are awaited
// (announce) or wait in place with block_on (main). The converted program
// prints the same with both compilers in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines --input-file=%t/printer.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// HEADER: typedef std::function<vinyl::task<void>(int fd, const char *)> Printer;

// CHECK:      static vinyl::task<void> print_line(int fd, const char *s) { co_await vinyl::io::write(fd, s, std::strlen(s)); }
// CHECK:      static vinyl::task<void> announce_async(int fd, Printer p) { co_await p(fd, "announce\n"); }
// CHECK:        announce(1, print_line);
// CHECK-NEXT:   Printer direct = print_line;
// CHECK-NEXT:   vinyl::block_on(direct(1, "printer\n"));

// OUT:      announce
// OUT-NEXT: printer

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
callback_types: ["::Printer"]
//--- printer.h
#pragma once
#include <functional>

typedef std::function<void(int fd, const char *)> Printer;
//--- a.cpp
#include "printer.h"
#include <cstring>
#include <unistd.h>

static void print_line(int fd, const char *s) { ::write(fd, s, std::strlen(s)); }

static void announce(int fd, Printer p) { p(fd, "announce\n"); }

int main() {
  announce(1, print_line);
  Printer direct = print_line;
  direct(1, "printer\n");
}
