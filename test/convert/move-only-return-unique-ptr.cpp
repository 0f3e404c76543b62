// A function returning a move-only type (std::unique_ptr) becomes a task of
// it; `co_return p;` of a local moves it out, the awaited result moves on,
// and the facade hands it back. The program prints the same.
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

// CHECK:      static vinyl::task<std::unique_ptr<int>> read_box(int fd) {
// CHECK-NEXT:   auto p = std::make_unique<int>(0);
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   *p = c;
// CHECK-NEXT:   co_return p;
// CHECK-NEXT: }
// CHECK:      static vinyl::task<std::unique_ptr<int>> read_bigger_async(int fd) {
// CHECK-NEXT:   std::unique_ptr<int> p = co_await read_box(fd);
// CHECK-NEXT:   *p += 1;
// CHECK-NEXT:   co_return p;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: static std::unique_ptr<int> read_bigger(int fd) {
// CHECK-NEXT:   return vinyl::block_on(read_bigger_async(fd));
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
AB
//--- a.cpp
#include <unistd.h>
#include <cstdio>
#include <memory>

static std::unique_ptr<int> read_box(int fd) {
  auto p = std::make_unique<int>(0);
  char c = 0;
  ::read(fd, &c, 1);
  *p = c;
  return p;
}

static std::unique_ptr<int> read_bigger(int fd) {
  std::unique_ptr<int> p = read_box(fd);
  *p += 1;
  return p;
}

int main() {
  std::unique_ptr<int> a = read_bigger(0);
  std::unique_ptr<int> b = read_bigger(0);
  std::printf("%c %c\n", *a, *b);
}
