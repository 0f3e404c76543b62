// A function returning a const value (`const std::string f()`, or
// `std::string const f()`) cannot become a task of it: task<const T>
// cannot hold its result. Refused with a located error that says to drop
// the const; exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:4:19: error: 'word' cannot become a coroutine: it returns a const value ('const std::string'); drop the const, which only stops callers moving from the result [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:7:10: note: 'word' calls 'read' here
// CHECK-NEXT: a.cpp:12:19: error: 'east' cannot become a coroutine: it returns a const value ('const std::string'); drop the const, which only stops callers moving from the result [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:12:41: note: 'east' calls 'word' here
// CHECK-NEXT: a.cpp:7:10: note: 'word' calls 'read' here
// CHECK-NEXT: error: nothing was written


//--- a.cpp
#include <string>
#include <unistd.h>

const std::string word(int fd) {
  std::string w;
  char c;
  while (::read(fd, &c, 1) == 1 && c != ' ')
    w += c;
  return w;
}

std::string const east(int fd) { return word(fd) + "!"; }
