// The C++11 idiom that runs a call per pack element,
// `(void)std::initializer_list<int>{(put(fd, a), 0)...};`, builds an
// initializer_list next to the await, which g++ 12 cannot compile, and
// "hoist it into a variable" cannot be followed there. It becomes the fold
// expression that says the same, `((void)co_await put(fd, a), ...);`
// (left to right, as the list was). The program writes the same with both
// compilers, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/async.out && diff %t/orig.out %t/async.out
// RUN: FileCheck %s --check-prefix=OUT --input-file=%t/gcc.out

// CHECK:      template <class... A> vinyl::task<void> put_all_async(int fd, A... a) {
// CHECK-NEXT:   ((void)co_await put(fd, a), ...);
// OUT: 123

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <initializer_list>
#include <unistd.h>

static int put(int fd, int v) {
  char c = char('0' + v);
  return (int)::write(fd, &c, 1);
}

template <class... A> void put_all(int fd, A... a) {
  (void)std::initializer_list<int>{(put(fd, a), 0)...};
}

int main() {
  put_all(1, 1, 2, 3);
  std::printf("\n");
}
