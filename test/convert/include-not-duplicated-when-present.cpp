// A file that already includes <vinyl/vinyl.hpp> (it already has
// coroutines) does not get a second include when more of it is converted.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      #include <unistd.h>
// CHECK-NEXT: #include <vinyl/vinyl.hpp>
// CHECK-NOT:  #include <vinyl/vinyl.hpp>
// CHECK:      vinyl::task<int> get(int fd) {

//--- a.cpp
#include <unistd.h>
#include <vinyl/vinyl.hpp>

vinyl::task<int> ready() { co_return 1; }

int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
