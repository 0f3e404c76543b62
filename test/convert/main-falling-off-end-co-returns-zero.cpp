// A `main` without a return at its end returns 0 there, but a coroutine
// that falls off its end is undefined: `main_async` ends in `co_return 0;`,
// indented like the body's first line (the last statement here is a
// nested one), and a `main` whose last statement returns gets none. The
// program exits with 0 in both modes (a run exiting otherwise fails).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=RETURNS --match-full-lines --input-file=%t/b.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && %t/conv.clang > %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/clang.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/clang-async.out
// RUN: %vinyl --check %t

// CHECK:      vinyl::task<int> main_async() {
// CHECK-NEXT:   const char hello[] = "hello\n";
// CHECK-NEXT:   if (co_await vinyl::io::write(1, hello, 6) != 6) {
// CHECK-NEXT:     co_await vinyl::io::write(2, "short\n", 6);
// CHECK-NEXT:   }
// CHECK-NEXT:   co_return 0;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int main() {
// CHECK-NEXT:   return vinyl::block_on(main_async());
// CHECK-NEXT: }

// RETURNS:      vinyl::task<int> main_async() {
// RETURNS-NEXT:   if (co_await vinyl::io::write(1, "b\n", 2) == 2)
// RETURNS-NEXT:     co_return 0;
// RETURNS-NEXT:   else
// RETURNS-NEXT:     co_return 1;
// RETURNS-NEXT: }

// OUT: hello

//--- a.cpp
#include <unistd.h>

int main() {
  const char hello[] = "hello\n";
  if (::write(1, hello, 6) != 6) {
    ::write(2, "short\n", 6);
  }
}
//--- b.cpp
#include <unistd.h>

int main() {
  if (::write(1, "b\n", 2) == 2)
    return 0;
  else
    return 1;
}
