// A conversion operator that reaches I/O cannot be a coroutine: its result
// type is the type it converts to, and most of its calls are implicit
// (`int x = r;`), so there is nothing to await. It stays synchronous, its
// read waits for the awaitable in place, and the callers that use the
// conversion stay as they are: one located warning, exit 0.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --check-prefix=CODE --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread

// EXIT: exit=0

// CHECK:      a.cpp:5:3: warning: conversion operator 'Reader::operator int' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:7:5: note: 'Reader::operator int' calls 'read' here
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-EMPTY:

// CODE:      operator int() {
// CODE-NEXT:   char c = 0;
// CODE-NEXT:   vinyl::block_on(vinyl::io::read(fd, &c, 1));
// CODE:      int next(Reader r) {
// CODE-NEXT:   int x = r;

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
