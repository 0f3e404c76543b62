// In a template, a call on the result of an awaited call (`s.connect(1)
// .error()`) starts where the awaited call starts: call sites used to be
// keyed by that offset alone, so `error()` joined `connect`'s family (one
// call of the template's text resolving to both) and became a coroutine
// too, and its await was folded into connect's. They are two calls.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out

// CHECK:        int error() const { return code; }
// CHECK:      template <class S> vinyl::task<int> go_async(S &s) { co_return std::move(co_await s.connect(1)).error(); }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
A
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct Result {
  int code;
  int error() const { return code; }
};

struct Sock {
  int fd;
  Result connect(int x) {
    char c = 0;
    ::read(fd, &c, 1);
    return {x + c};
  }
};

template <class S> int go(S &s) { return s.connect(1).error(); }

int main() {
  Sock s{0};
  std::printf("%d\n", go(s));
}
