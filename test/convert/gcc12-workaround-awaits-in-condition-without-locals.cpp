// A coroutine with no local variable that awaits in a loop condition gets
// one dummy local (g++ 12.2 otherwise skips the loop body after resuming);
// the converted program counts the same with both compilers.
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

// CHECK:      static vinyl::task<void> count_async(int fd, int *n) {
// CHECK-NEXT:   {{\[\[}}maybe_unused{{\]\]}} bool vinyl_gcc12_frame = true; // g++ 12.2 miscompiles coroutines without locals
// CHECK-NEXT:   while (co_await more(fd))
// CHECK-NEXT:     ++*n;
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
12345
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static bool more(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1;
}

static void count(int fd, int *n) {
  while (more(fd))
    ++*n;
}

int main() {
  int n = 0;
  count(0, &n);
  std::printf("%d\n", n);
}
