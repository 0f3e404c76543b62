// In a tree with a .clang-format, the lines the tool edits are formatted in
// that style, and every other line keeps its text, even where it breaks
// the style.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --strict-whitespace --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

//      CHECK:static std::string buf;
// CHECK-NEXT:int   untouched  (int x)   { return x  *  2 ; }
// CHECK-EMPTY:
// CHECK-NEXT:vinyl::task<const std::string &> line(int fd) {
// CHECK-NEXT:  char   c;
// CHECK-NEXT:  while (co_await vinyl::io::read(fd, &c, 1) == 1 && c != '\n')
// CHECK-NEXT:    buf   +=   c;
// CHECK-NEXT:  co_return buf;
// CHECK-NEXT:}
// CHECK-EMPTY:
// CHECK-NEXT:int   also_untouched  (int x)   { return x  *  3 ; }

//--- .clang-format
BasedOnStyle: LLVM
//--- a.cpp
#include <string>
#include <unistd.h>

static std::string buf;
int   untouched  (int x)   { return x  *  2 ; }

const std::string &line(int fd) {
  char   c;
  while (::read(fd, &c, 1) == 1 && c != '\n')
    buf   +=   c;
  return buf;
}

int   also_untouched  (int x)   { return x  *  3 ; }
