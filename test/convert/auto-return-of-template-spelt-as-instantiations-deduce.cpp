// A template whose `auto` result every instantiation deduces alike (a
// transaction's variadic `execute` returning `result`, as a PostgreSQL
// client writes it) gets that type spelt in its task (was: refused, "its
// deduced return type is not known here"). An unnamed parameter pack is
// named in the facade and forwarded. The program behaves the same with
// both compilers, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/a.cpp > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/a.cpp > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/a.cpp > %t/async.out && diff %t/orig.out %t/async.out

// CHECK:        template <typename... As> vinyl::task<result> execute_async(int fd, As &&...as) {
// CHECK:        template <typename... As> auto execute(int fd, As &&...as) {
// CHECK-NEXT:     return vinyl::block_on(execute_async(fd, std::forward<As>(as)...));
// CHECK:        template <typename... As> vinyl::task<result> prepare_async(int fd, As &&...) {
// CHECK:        template <typename... As> auto prepare(int fd, As &&...vinyl_arg2) {
// CHECK-NEXT:     return vinyl::block_on(prepare_async(fd, std::forward<As>(vinyl_arg2)...));

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct result {
  long n;
};

struct tx {
  result get_result(int fd) {
    char c[4];
    return result{::read(fd, c, sizeof c)};
  }
  template <typename... As> auto execute(int fd, As &&...as) {
    return result{get_result(fd).n + long(sizeof...(as))};
  }
  template <typename... As> auto prepare(int fd, As &&...) {
    return get_result(fd);
  }
};

int main() {
  tx t;
  std::printf("%ld %ld\n", t.execute(0, 1, "x").n, t.prepare(0).n);
}
