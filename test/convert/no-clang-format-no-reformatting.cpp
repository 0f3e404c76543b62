// Without a .clang-format, the tool formats nothing: its edits are
// inserted as they are, and the include order is kept. (Assumes no
// .clang-format above the build tree.)
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --strict-whitespace --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

//      CHECK:#include <unistd.h>
// CHECK-NEXT:#include <string>
// CHECK-NEXT:#include <vinyl/vinyl.hpp>
// CHECK-EMPTY:
// CHECK-NEXT:vinyl::task<std::size_t>   length( int fd )   {
// CHECK-NEXT:      std::string s;  char c;
// CHECK-NEXT:      while (co_await vinyl::io::read(fd, &c, 1) == 1) s += c;
// CHECK-NEXT:  co_return   s.size();
// CHECK-NEXT:}

//--- a.cpp
#include <unistd.h>
#include <string>

std::size_t   length( int fd )   {
      std::string s;  char c;
      while (::read(fd, &c, 1) == 1) s += c;
  return   s.size();
}
