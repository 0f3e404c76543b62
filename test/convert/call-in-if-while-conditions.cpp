// A call in the condition of an if, a while, a for and a do-while is
// awaited in place, and the loops re-evaluate it every iteration; the
// program prints the same.
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

// CHECK:      static vinyl::task<int> conds_async(int fd) {
// CHECK-NEXT:   int n = 0;
// CHECK-NEXT:   if (co_await get(fd) == 'a')
// CHECK-NEXT:     n += 1000;
// CHECK-NEXT:   while (co_await get(fd) != ',')
// CHECK-NEXT:     n += 1;
// CHECK-NEXT:   for (int i = 0; co_await get(fd) != ','; ++i)
// CHECK-NEXT:     n += 10 + i;
// CHECK-NEXT:   do
// CHECK-NEXT:     n += 100;
// CHECK-NEXT:   while (co_await get(fd) != '.');
// CHECK-NEXT:   co_return n;
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abc,de,fgh.
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : '.';
}

static int conds(int fd) {
  int n = 0;
  if (get(fd) == 'a')
    n += 1000;
  while (get(fd) != ',')
    n += 1;
  for (int i = 0; get(fd) != ','; ++i)
    n += 10 + i;
  do
    n += 100;
  while (get(fd) != '.');
  return n;
}

int main() { std::printf("%d\n", conds(0)); }
