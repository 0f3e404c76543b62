// fast_paths on templates: a function template (whose plain half hands
// the call over with the template arguments the call cannot deduce) and
// a member defined in a class template, whose plain half follows it in
// the class. Both compilers, both modes; a second run changes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t main.cpp
// RUN: %build-both %t/orig %t/main.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/main.cpp
// RUN: %build-both %t/conv %t/main.cpp -fsanitize=address,undefined
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async2.out && diff %t/orig.out %t/async2.out
// RUN: cp %t/main.cpp %t/main.cpp.1 && %vinyl %t 2> %t/again.txt && diff %t/main.cpp.1 %t/main.cpp
// RUN: %vinyl --check %t

// CHECK:        vinyl::task<T> next(vinyl::slow_t) {
// CHECK:        // The ready path of 'Source::next' (vinyl-asyncify fast_paths).
// CHECK-NEXT:   vinyl::fast_task<T> next() {
// CHECK-NEXT:     if (pos == len) { return next(vinyl::slow); }
// CHECK-NEXT:     return static_cast<T>(buf[pos++]);
// CHECK-NEXT:   }
// CHECK:      template <class R, class S> vinyl::task<R> take(vinyl::slow_t, S &s) {
// CHECK:      // The ready path of 'take' (vinyl-asyncify fast_paths).
// CHECK-NEXT: template <class R, class S> vinyl::fast_task<R> take(S &s) {
// CHECK-NEXT:   if (s.pos == s.len)
// CHECK-NEXT:     return take<R>(vinyl::slow, s);
// CHECK-NEXT:   return static_cast<R>(s.buf[s.pos++]);
// CHECK-NEXT: }

//--- input.txt
templates all the way
//--- main.cpp
#include <cstdio>
#include <unistd.h>

template <class T> struct Source {
  char buf[3];
  long len = 0, pos = 0;
  T next() {
    if (pos == len) {
      len = read(0, buf, sizeof buf);
      if (len <= 0)
        return T(-1);
      pos = 0;
    }
    return static_cast<T>(buf[pos++]);
  }
};

template <class R, class S> R take(S &s) {
  if (s.pos == s.len)
    return s.next();
  return static_cast<R>(s.buf[s.pos++]);
}

static long count(Source<int> &s) {
  long n = 0;
  for (int c = take<int>(s); c != -1; c = take<int>(s))
    n += c;
  return n;
}

int main() {
  Source<int> s;
  std::printf("%ld\n", count(s));
}
//--- .vinyl.yaml
fast_paths: true
