// g++ 12.2 evaluates a co_await in an operand that may be skipped (a branch
// of ?:, the right of && or ||) even when it is skipped, unless the
// expression initialises a variable or is the condition of an if. So a
// `while` whose condition awaits there becomes `while (true) { if
// (!(cond)) break; body }` (same meaning: continue re-tests the
// condition; a braced body keeps its braces as the loop's), and an if condition or a variable's initialiser stays as it
// is. The converted program reads exactly the bytes the original reads
// (the count is printed) with both compilers, in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      static vinyl::task<int> count_as_async(int fd, int limit) {
// CHECK-NEXT:   int n = 0;
// CHECK-NEXT:   while (true) { if (!(limit > 0 && co_await next_byte(fd) == 'a')) break;
// CHECK-NEXT:     --limit;
// CHECK-NEXT:     ++n;
// CHECK-NEXT:   }
// CHECK-NEXT:   if (n > 5 && co_await next_byte(fd) == 'x')
// CHECK-NEXT:     n = -1;
// CHECK-NEXT:   int last = n > 5 ? co_await next_byte(fd) : 0;
// CHECK-NEXT:   co_return n + last;
// CHECK-NEXT: }

// OUT:      2 after 2 reads
// OUT-NEXT: 2 after 4 reads

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
aaaaaa
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int reads = 0;

static int next_byte(int fd) {
  char c = 0;
  ++reads;
  long got = ::read(fd, &c, 1);
  return got == 1 ? c : -1;
}

static int count_as(int fd, int limit) {
  int n = 0;
  while (limit > 0 && next_byte(fd) == 'a') {
    --limit;
    ++n;
  }
  if (n > 5 && next_byte(fd) == 'x')
    n = -1;
  int last = n > 5 ? next_byte(fd) : 0;
  return n + last;
}

int main() {
  for (int i = 0; i < 2; ++i) {
    int n = count_as(0, 2);
    std::printf("%d after %d reads\n", n, reads);
  }
}
