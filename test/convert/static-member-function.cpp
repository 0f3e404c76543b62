// A static member function reaching I/O becomes a static coroutine; its
// facade stays static, and calls through the class name are awaited.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/conn.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// HDR:      struct Conn {
// HDR-NEXT:   static vinyl::task<int> open_async(int fd);
// HDR-NEXT:   static int open(int fd);
// HDR-NEXT:   static vinyl::task<int> reopen_async(int fd);
// HDR-NEXT:   static int reopen(int fd);
// HDR-NEXT: };

// CHECK:      vinyl::task<int> Conn::open_async(int fd) {
// CHECK:      int Conn::open(int fd) {
// CHECK-NEXT:   return vinyl::block_on(open_async(fd));
// CHECK-NEXT: }
// CHECK:      vinyl::task<int> Conn::reopen_async(int fd) { co_return co_await Conn::open_async(fd) + 1; }

//--- conn.h
#pragma once
struct Conn {
  static int open(int fd);
  static int reopen(int fd);
};
//--- a.cpp
#include "conn.h"
#include <unistd.h>

int Conn::open(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int Conn::reopen(int fd) { return Conn::open(fd) + 1; }
