// A function with C language linkage that reaches I/O is refused (a
// coroutine returns a C++ class, and the C symbol must stay), whether the
// linkage comes from a specifier or from an `extern "C" { }` block.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2
// CHECK: {{^.*}}api.h:3:16: error: 'get_byte' reaches blocking I/O but has C language linkage; converting extern "C" functions is not supported yet [vinyl-cannot-convert]
// CHECK: {{^.*}}api.h:5:5: error: 'get_word' reaches blocking I/O but has C language linkage; converting extern "C" functions is not supported yet [vinyl-cannot-convert]

//--- api.h
#pragma once
#include <unistd.h>
extern "C" int get_byte(int fd);
extern "C" {
int get_word(int fd);
}
//--- a.cpp
#include "api.h"
extern "C" int get_byte(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
//--- b.cpp
#include "api.h"
int get_word(int fd) {
  short s = 0;
  ::read(fd, &s, 2);
  return s;
}
