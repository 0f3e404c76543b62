// In a template, a member of an awaited call's reference result
// (`b.fill().size()`, fill() returning std::string &) needs the await
// parenthesised, which g++ 12 cannot parse there; the tool writes
// `(*&co_await b.fill()).size()`, the same lvalue. The converted program
// prints the same with both compilers in blocking and async mode.
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

// CHECK:      template <class B> vinyl::task<std::size_t> total_len_async(B &b, int rounds) {
// CHECK-NEXT:   std::size_t n = 0;
// CHECK-NEXT:   for (int i = 0; i < rounds; ++i)
// CHECK-NEXT:     n = (*&co_await b.fill()).size();
// CHECK-NEXT:   co_return n + (*&co_await b.fill()).empty();
// CHECK-NEXT: }

// OUT: 5

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>

struct Buffer {
  int fd;
  std::string data;
  std::string &fill() {
    char c;
    while (::read(fd, &c, 1) == 1 && c != ';')
      data += c;
    return data;
  }
};

template <class B> std::size_t total_len(B &b, int rounds) {
  std::size_t n = 0;
  for (int i = 0; i < rounds; ++i)
    n = b.fill().size();
  return n + b.fill().empty();
}

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  ::write(p[1], "ab;cde;f;", 9);
  ::close(p[1]);
  Buffer b{p[0], {}};
  std::printf("%zu\n", total_len(b, 2));
}
