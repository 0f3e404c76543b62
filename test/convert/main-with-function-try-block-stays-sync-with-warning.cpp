// A `main` whose body is a function-try-block cannot have it moved into a
// coroutine: it stays synchronous, as a function that cannot be a
// coroutine does, with one located warning saying why (not a refusal:
// nothing calls main, so the rest converts). What it calls keeps a
// blocking facade and a leaf it calls waits with block_on; its handler
// still catches. --check says the warning again on the converted tree.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/orig.out
// RUN: not %vinyl --check %t 2> %t.check
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.check

// WARN:      a.cpp:[[#LINE:]]:5: warning: 'main' reaches blocking I/O but cannot become the coroutine 'main_async' under a blocking facade: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode each of its waits runs the event loop by itself [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:[[#LINE]]:5: note: its body is a function-try-block

// CHECK:      int main() try {
// CHECK-NEXT:   vinyl::block_on(vinyl::io::write(1, "try\n", 4));
// CHECK-NEXT:   put('x');
// CHECK-NEXT:   throw 1;
// CHECK-NEXT: } catch (int) {
// CHECK-NEXT:   return put('\n') == 1 ? 0 : 1;
// CHECK-NEXT: }

// OUT:      try
// OUT-NEXT: x

//--- a.cpp
#include <unistd.h>

static int put(char c) { return ::write(1, &c, 1); }

int main() try {
  ::write(1, "try\n", 4);
  put('x');
  throw 1;
} catch (int) {
  return put('\n') == 1 ? 0 : 1;
}
