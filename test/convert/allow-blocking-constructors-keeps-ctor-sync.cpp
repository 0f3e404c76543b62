// With --allow-blocking-constructors, a constructor reaching I/O stays
// synchronous and calls the blocking facade of its callee; code that
// constructs the object is not made async by it. The program prints the
// same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/a.cpp
// RUN: %t.orig-bin < %t/input.txt > %t.expected
// RUN: %vinyl --allow-blocking-constructors %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc < %t/input.txt > %t.gcc
// RUN: %t.conv.clang < %t/input.txt > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// CHECK:      static vinyl::task<int> get_async(int fd) {
// CHECK:      static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK:      struct Conn {
// CHECK-NEXT:   explicit Conn(int fd) : first(get(fd)) {}
// CHECK-NEXT:   int first;
// CHECK-NEXT: };
// CHECK-EMPTY:
// CHECK-NEXT: static int use(int fd) { return Conn(fd).first; }
// CHECK-EMPTY:
// CHECK-NEXT: static vinyl::task<int> both_async(int fd) { { decltype(auto) vinyl_o17_1 = use(fd); decltype(auto) vinyl_o17_2 = co_await get_async(fd); co_return static_cast<decltype(vinyl_o17_1) &&>(vinyl_o17_1) + static_cast<decltype(vinyl_o17_2) &&>(vinyl_o17_2); } }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
ABC
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

struct Conn {
  explicit Conn(int fd) : first(get(fd)) {}
  int first;
};

static int use(int fd) { return Conn(fd).first; }

static int both(int fd) { return use(fd) + get(fd); }

int main() { std::printf("%d\n", both(0)); }
