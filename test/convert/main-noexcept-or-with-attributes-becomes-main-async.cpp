// A `noexcept` main converts as any noexcept function: the facade keeps
// the `noexcept`, and the coroutine's body ends the program on an escaping
// exception as main did (`try { ... } catch (...) { std::terminate(); }`),
// with its `co_return 0;` inside. Attributes written before main stay with
// the body, on `main_async`, and are copied to the facade, as for any
// function. Both run in both modes with both compilers.
// Two programs, two databases: the `main`s of one database share an id.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t/a a.cpp && %mkdb %t/b b.cpp
// RUN: %vinyl %t/a && %vinyl %t/b
// RUN: FileCheck %s --match-full-lines --input-file=%t/a/a.cpp
// RUN: FileCheck %s --check-prefix=ATTR --match-full-lines --input-file=%t/b/b.cpp
// RUN: %build-both %t/a %t/a/a.cpp
// RUN: %build-both %t/b %t/b/b.cpp
// RUN: %t/a.gcc > %t/out && %t/a.clang >> %t/out
// RUN: env VINYL_IO=async %t/a.gcc >> %t/out && env VINYL_IO=async %t/a.clang >> %t/out
// RUN: %t/b.gcc >> %t/out && %t/b.clang >> %t/out
// RUN: env VINYL_IO=async %t/b.gcc >> %t/out && env VINYL_IO=async %t/b.clang >> %t/out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/out
// RUN: %vinyl --check %t/a && %vinyl --check %t/b

// CHECK:      vinyl::task<int> main_async() noexcept { try {
// CHECK-NEXT:   co_await vinyl::io::write(1, "noexcept\n", 9);
// CHECK-NEXT:   co_return 0;
// CHECK-NEXT: } catch (...) { std::terminate(); } }
// CHECK-EMPTY:
// CHECK-NEXT: int main() noexcept {
// CHECK-NEXT:   return vinyl::block_on(main_async());
// CHECK-NEXT: }

// ATTR:      {{\[\[}}gnu::cold]] vinyl::task<int> main_async() {
// ATTR-NEXT:   co_await vinyl::io::write(1, "cold\n", 5);
// ATTR-NEXT:   co_return 0;
// ATTR-NEXT: }
// ATTR-EMPTY:
// ATTR-NEXT: {{\[\[}}gnu::cold]] int main() {
// ATTR-NEXT:   return vinyl::block_on(main_async());
// ATTR-NEXT: }

// OUT-COUNT-4: noexcept
// OUT-COUNT-4: cold

//--- a/a.cpp
#include <unistd.h>

int main() noexcept {
  ::write(1, "noexcept\n", 9);
}
//--- b/b.cpp
#include <unistd.h>

[[gnu::cold]] int main() {
  ::write(1, "cold\n", 5);
}
