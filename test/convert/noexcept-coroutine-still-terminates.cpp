// A converted noexcept function keeps its meaning: an exception escaping
// it ends the program where the original would, instead of travelling in
// the task to the awaiting caller (whose catch would swallow it). The
// coroutine's body becomes a try block whose handler calls
// std::terminate(). The converted program aborts like the original, with
// both compilers, in both modes; without the exception it runs the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/orig.gcc < %t/ok.txt > %t/orig.out && %t/conv.gcc < %t/ok.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: not --crash %t/orig.gcc < %t/x.txt
// RUN: not --crash %t/conv.gcc < %t/x.txt
// RUN: not --crash %t/conv.clang < %t/x.txt
// RUN: env VINYL_IO=async not --crash %t/conv.gcc < %t/x.txt

// CHECK:      static vinyl::task<int> first() noexcept { try {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(0, &c, 1);
// CHECK-NEXT:   if (c == 'x')
// CHECK-NEXT:     fail();
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: } catch (...) { std::terminate(); } }

//--- ok.txt
ok
//--- x.txt
x
//--- a.cpp
#include <cstdio>
#include <stdexcept>
#include <unistd.h>

static void fail() { throw std::runtime_error("x"); }

static int first() noexcept {
  char c = 0;
  ::read(0, &c, 1);
  if (c == 'x')
    fail();
  return c;
}

static int guarded() {
  try {
    return first();
  } catch (...) {
    return -1;
  }
}

int main() { std::printf("%d\n", guarded()); }
