// g++ 12 evaluates a co_await in an operand that may be skipped even when
// it is skipped, except in an if's condition; a do-while whose condition
// awaits right of && becomes, for g++, a for loop that tests the
// condition in an if before every iteration but the first
// (`for (bool vinyl_again_L = false;; vinyl_again_L = true) { if
// (vinyl_again_L && !(cond)) break; body }`), so `continue` still goes to
// the condition. A braced body, an unbraced one, and a body that
// continues. Both compilers, both modes: the program prints the same,
// reads no byte the original does not, and --check is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -fsanitize=address,undefined
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: FileCheck %s --check-prefix=OUT --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      static vinyl::task<int> count_until_async(int limit) {
// CHECK-NEXT:   int n = 0;
// CHECK-NEXT:   char c = '>';
// CHECK-NEXT:   for (bool vinyl_again_{{[0-9]+}} = false;; vinyl_again_{{[0-9]+}} = true) { if (vinyl_again_{{[0-9]+}} && !(n < limit && co_await next(c) && c != '.')) break; {
// CHECK-NEXT:     ++n;
// CHECK-NEXT:     if (c == ' ')
// CHECK-NEXT:       continue;
// CHECK-NEXT:     std::putchar(c);
// CHECK-NEXT:   } }
// CHECK:        for (bool vinyl_again_{{[0-9]+}} = false;; vinyl_again_{{[0-9]+}} = true) { if (vinyl_again_{{[0-9]+}} && !(skipped < 3 && co_await next(c))) break; ++skipped; }

// OUT: >abc,de|8|3|hij

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abc,d e.fghij
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static bool next(char &c) { return ::read(0, &c, 1) == 1; }

static int count_until(int limit) {
  int n = 0;
  char c = '>';
  do {
    ++n;
    if (c == ' ')
      continue;
    std::putchar(c);
  } while (n < limit && next(c) && c != '.');
  int skipped = 0;
  do ++skipped; while (skipped < 3 && next(c));
  std::printf("|%d|%d|", n, skipped);
  char rest[8] = {};
  long got = ::read(0, rest, sizeof rest - 1);
  std::printf("%s\n", got > 0 ? rest : "");
  return n;
}

int main() { return count_until(100) == 0; }
