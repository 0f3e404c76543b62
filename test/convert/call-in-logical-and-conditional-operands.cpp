// Calls in the operands of `&&`, `||` and `?:` are awaited where they are,
// so short-circuiting still decides which calls run: the program reads the
// same bytes and prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/a.cpp
// RUN: %t.orig-bin < %t/input.txt > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc < %t/input.txt > %t.gcc
// RUN: %t.conv.clang < %t/input.txt > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// CHECK:      static vinyl::task<int> logic_async(int fd) {
// CHECK-NEXT:   bool x = co_await is_a(fd) && co_await is_a(fd);
// CHECK-NEXT:   bool y = co_await is_a(fd) || co_await is_a(fd);
// CHECK-NEXT:   int z = x ? co_await get_async(fd) : co_await get_async(fd) + 1000;
// CHECK-NEXT:   co_return (x ? 1 : 0) + (y ? 10 : 0) + z;
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
bbaxyzaaxyz
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

static bool is_a(int fd) { return get(fd) == 'a'; }

static int logic(int fd) {
  bool x = is_a(fd) && is_a(fd);
  bool y = is_a(fd) || is_a(fd);
  int z = x ? get(fd) : get(fd) + 1000;
  return (x ? 1 : 0) + (y ? 10 : 0) + z;
}

int main() {
  std::printf("%d\n", logic(0));
  std::printf("%d\n", logic(0));
  std::printf("%d\n", get(0));
}
