// In a tree with a .clang-format that sorts includes, adding the vinyl
// include does not reorder the includes the file already has: only edited
// lines are reformatted.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      #include <unistd.h>
// CHECK-NEXT: #include <string>
// CHECK:      vinyl::task<std::size_t> length(int fd) {

//--- .clang-format
BasedOnStyle: LLVM
//--- a.cpp
#include <unistd.h>
#include <string>

std::size_t length(int fd) {
  std::string s;
  char c;
  while (::read(fd, &c, 1) == 1)
    s += c;
  return s.size();
}
