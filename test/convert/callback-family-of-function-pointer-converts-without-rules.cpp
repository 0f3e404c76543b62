// Function pointer types form callback families without a rules entry, as
// std::function types do: an alias declared under the paths
// (`using reader_t = int (*)(int)`) and a type written inline in a
// parameter (`int (*f)(int)`). Every function stored in one (`reader_t r
// = get_byte`, `&get_twice`, a function passed to `apply`) reaches I/O
// or joins the family, so the type becomes a pointer to a function
// returning a task, the functions become coroutines under their names (no
// synchronous code calls them) and each call through the pointer is
// awaited. Both compilers, both modes, print what the original printed;
// a second run writes nothing, and --check is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: cp %t/a.cpp %t.first.cpp && %vinyl %t && diff %t.first.cpp %t/a.cpp
// RUN: %vinyl --check %t

// CHECK:      using reader_t = vinyl::task<int> (*)(int fd);
// CHECK:      static vinyl::task<int> get_byte(int fd) {
// CHECK:      static vinyl::task<int> get_twice(int fd) { co_return co_await get_byte(fd) + co_await get_byte(fd); }
// CHECK:      static vinyl::task<int> sum_async(reader_t r, int fd, int n) {
// CHECK-NEXT:   int s = 0;
// CHECK-NEXT:   for (int i = 0; i < n; ++i)
// CHECK-NEXT:     s += co_await r(fd);
// CHECK-NEXT:   co_return s;
// CHECK-NEXT: }
// CHECK:      static vinyl::task<int> apply_async(vinyl::task<int> (*f)(int), int fd) { co_return co_await f(fd) * 2; }
// CHECK:      static int apply(vinyl::task<int> (*f)(int), int fd) {
// CHECK-NEXT:   return vinyl::block_on(apply_async(f, fd));
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
abcdefghij
//--- a.cpp
#include <cstdio>
#include <unistd.h>

using reader_t = int (*)(int fd);

static int get_byte(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

static int get_twice(int fd) { return get_byte(fd) + get_byte(fd); }

static int sum(reader_t r, int fd, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += r(fd);
  return s;
}

// A function pointer parameter written out.
static int apply(int (*f)(int), int fd) { return f(fd) * 2; }

int main() {
  reader_t r = get_byte;
  int a = sum(r, 0, 2);
  int b = sum(&get_twice, 0, 1);
  int c = apply(get_byte, 0);
  std::printf("%d %d %d\n", a, b, c);
}
