// A conversion operator that reaches I/O cannot be a coroutine: its result
// type is the type it converts to, and most of its calls are implicit
// (`int x = r;`), so there is nothing to await. It stays synchronous, its
// read stays the blocking call, and the callers that use the conversion
// stay as they are: one located warning, nothing to rewrite, exit 0.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=0

// CHECK:      a.cpp:5:3: warning: conversion operator 'Reader::operator int' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade), and in async mode it blocks the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:7:5: note: 'Reader::operator int' calls 'read' here
// CHECK-EMPTY:

//--- a.cpp
#include <unistd.h>

struct Reader {
  int fd;
  operator int() {
    char c = 0;
    ::read(fd, &c, 1);
    return c;
  }
};

int next(Reader r) {
  int x = r;
  return x + 1;
}

int twice(Reader r) { return static_cast<int>(r) * 2; }

int main() { return next(Reader{0}) + twice(Reader{0}); }
