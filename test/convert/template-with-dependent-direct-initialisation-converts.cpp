// A function template whose body starts with a direct-initialised variable
// of a dependent type (`Box<T> b(item);`, a typeless ParenListExpr in the
// template's pattern) and then an `if`: the ready-path analysis, which
// looks at every function, used to crash on it (taopq's pool.hpp, every
// conversion exit 139). It converts, with and without fast paths, and the
// converted program reads as the original did.
// RUN: rm -rf %t %t-fast && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: printf 'q' | %t/orig.gcc > %t/orig.out
// RUN: cp -r %t %t-fast && cp %t/fast.yaml %t-fast/.vinyl.yaml && %mkdb %t-fast a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: printf 'q' | %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: printf 'q' | env VINYL_IO=async %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: %vinyl %t-fast
// RUN: %build-both %t-fast/conv %t-fast/a.cpp -pthread
// RUN: printf 'q' | %t-fast/conv.gcc > %t/fast.out && diff %t/orig.out %t/fast.out

// CHECK:      template <typename T> vinyl::task<long> first_async(T *item, int fd) {
// CHECK-NEXT:   Box<T> b(item);
// CHECK-NEXT:   if (!b.ptr)
// CHECK-NEXT:     co_return -1;
// CHECK-NEXT:   co_return co_await vinyl::io::read(fd, b.ptr, sizeof(T));

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- fast.yaml
facades: { sync_main: true }
fast_paths: true
//--- a.cpp
#include <cstdio>
#include <unistd.h>

template <typename T> struct Box {
  T *ptr;
  explicit Box(T *p) : ptr(p) {}
};

template <typename T> long first(T *item, int fd) {
  Box<T> b(item);
  if (!b.ptr)
    return -1;
  return ::read(fd, b.ptr, sizeof(T));
}

int main() {
  char c = 0;
  long n = first(&c, 0);
  std::printf("%ld %c\n", n, c);
}
