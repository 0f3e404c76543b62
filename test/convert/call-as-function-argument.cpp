// Calls used as arguments of other calls (nested, of a constructor, of a
// member call) are awaited in place, innermost and outermost alike. (The
// first statement is rearranged for g++, which evaluated the arguments of
// the original right to left and would evaluate the awaits left to right;
// gcc-awaits-keep-the-original-evaluation-order.cpp.)
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<int> args(int fd) {
// CHECK-NEXT:   decltype(auto) vinyl_o13_1 = co_await get(fd); decltype(auto) vinyl_o13_2 = add(1, static_cast<decltype(vinyl_o13_1) &&>(vinyl_o13_1)); decltype(auto) vinyl_o13_3 = co_await get(fd); int a = add(static_cast<decltype(vinyl_o13_3) &&>(vinyl_o13_3), static_cast<decltype(vinyl_o13_2) &&>(vinyl_o13_2));
// CHECK-NEXT:   std::string s(std::size_t(co_await get(fd)), 'x');
// CHECK-NEXT:   s.append(std::size_t(co_await get(fd)), 'y');
// CHECK-NEXT:   co_return a + int(s.size()) + co_await get(co_await get(fd));
// CHECK-NEXT: }

//--- a.cpp
#include <string>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

static int add(int a, int b) { return a + b; }

int args(int fd) {
  int a = add(get(fd), add(1, get(fd)));
  std::string s(std::size_t(get(fd)), 'x');
  s.append(std::size_t(get(fd)), 'y');
  return a + int(s.size()) + get(get(fd));
}
