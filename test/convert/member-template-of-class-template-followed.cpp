// A member template of a class template is followed like the other
// template forms: each specialization of the class has a member template
// of its own, whose specializations are walked. `put<N>` calls the
// converted `put(p, n)` and `send<B, Body>` calls `stream_.put(m)` through
// its parameter, so both become coroutines with facades (was: they stayed
// blocking, silently, with --check clean). In a template, a ?: branch is
// cast to the operator's type as the instantiation spells it. The program
// writes the same with both compilers, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t use.cpp
// RUN: %build-both %t/orig %t/use.cpp
// RUN: %vinyl -p %t %t/lib
// RUN: FileCheck %s --match-full-lines --input-file=%t/lib/net.hpp
// RUN: %build-both %t/conv %t/use.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out && %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/async.out && diff %t/orig.out %t/async.out
// RUN: %vinyl --check -p %t %t/lib

// CHECK:      template <int K> struct sock {
// CHECK:        template <int N> vinyl::task<long> put_async(const char (&a)[N]) { co_return co_await put_async(a, N - 1); }
// CHECK:        template <int N> long put(const char (&a)[N]) {
// CHECK-NEXT:     return vinyl::block_on(put_async(a));
// CHECK-NEXT:   }
// CHECK:        template <bool B, class Body> vinyl::task<long> send_async(Body &&m) const {
// CHECK:          { if (B) { co_return co_await stream_.put_async(m); } else { co_return static_cast<long>(0); } }
// CHECK-NEXT:   }
// CHECK:        template <bool B, class Body> long send(Body &&m) const {
// CHECK-NEXT:     return vinyl::block_on(send_async<B>(std::forward<Body>(m)));
// CHECK-NEXT:   }

//--- lib/net.hpp
#pragma once
#include <unistd.h>

template <int K> struct sock {
  int fd = 1;
  long put(const char *p, long n) { return ::write(fd, p, n); }
  template <int N> long put(const char (&a)[N]) { return put(a, N - 1); }
};

template <class Stream> struct sender {
  Stream &stream_;
  template <bool B, class Body> long send(Body &&m) const {
    return B ? stream_.put(m) : 0;
  }
};
//--- use.cpp
#include "lib/net.hpp"
int main() {
  sock<0> s;
  long n = s.put("hi\n");
  sender<sock<0>> out{s};
  n += out.send<true>("yo\n");
  n += out.send<false>("no\n");
  return n == 6 ? 0 : 1;
}
