// Of two overloads, only the one reaching I/O becomes a coroutine; a caller
// awaits that one and keeps calling the other plainly.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      static vinyl::task<int> get(int fd) {
// CHECK:      static int get(const std::string &s) { return (int)s.size(); }
// CHECK-NEXT: vinyl::task<int> both(int fd) { co_return co_await get(fd) + get(std::string("ab")); }

//--- a.cpp
#include <unistd.h>
#include <string>
static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
static int get(const std::string &s) { return (int)s.size(); }
int both(int fd) { return get(fd) + get(std::string("ab")); }
