// `auto main() -> int` keeps its form: the coroutine is `auto main_async()
// -> vinyl::task<int>`, the facade `auto main() -> int`. It runs in both
// modes with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/out && %t/conv.clang >> %t/out
// RUN: env VINYL_IO=async %t/conv.gcc >> %t/out && env VINYL_IO=async %t/conv.clang >> %t/out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/out
// RUN: %vinyl --check %t

// CHECK:      auto main_async() -> vinyl::task<int> {
// CHECK-NEXT:   co_return co_await vinyl::io::write(1, "trailing\n", 9) == 9 ? 0 : 1;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: auto main() -> int {
// CHECK-NEXT:   return vinyl::block_on(main_async());
// CHECK-NEXT: }

// OUT-COUNT-4: trailing

//--- a.cpp
#include <unistd.h>

auto main() -> int {
  return ::write(1, "trailing\n", 9) == 9 ? 0 : 1;
}
