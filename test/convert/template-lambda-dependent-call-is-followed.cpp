// A lambda inside a function template whose body calls through a template
// parameter (`s.get()`) is followed in each instantiation, like the
// template's own body: Fd::get reaches read(2), so the lambda becomes a
// coroutine lambda whose result type is the one every instantiation
// deduces (`-> vinyl::task<int>`), its calls through the closure variable
// are awaited, and the template keeps a facade for main. The converted
// program prints the same with both compilers in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      template <class S> vinyl::task<int> two_async(S &s) {
// CHECK-NEXT:   auto next = [&]() -> vinyl::task<int> { co_return co_await s.get(); };
// CHECK-NEXT:   int a = co_await next();
// CHECK-NEXT:   co_return a + co_await next();
// CHECK-NEXT: }

// OUT: 131

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct Fd {
  int fd;
  int get() {
    char c = 0;
    return ::read(fd, &c, 1) == 1 ? c : -1;
  }
};

template <class S> int two(S &s) {
  auto next = [&] { return s.get(); };
  int a = next();
  return a + next();
}

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  ::write(p[1], "AB", 2);
  Fd f{p[0]};
  std::printf("%d\n", two(f));
}
