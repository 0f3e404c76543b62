// In a template, a member of an awaited call's value (`word().size()`)
// needs the await parenthesised, and g++ 12 cannot parse `(co_await
// word()).size()` there ("insufficient contextual information"), so for a
// call returning a value the tool writes `std::move(co_await
// word()).size()`: the same object, an xvalue instead of a prvalue. The
// converted program prints the same with both compilers in blocking and
// async mode.
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

// CHECK:      vinyl::task<std::size_t> len_async() { co_return std::move(co_await word()).size(); }

// OUT: 5

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>

struct Fd {
  int fd;
  int get() {
    char c = 0;
    return ::read(fd, &c, 1) == 1 ? c : -1;
  }
};

template <class S> struct Reader {
  S &s;
  std::string word() {
    std::string w;
    for (int c = s.get(); c > ' '; c = s.get())
      w += char(c);
    return w;
  }
  std::size_t len() { return word().size(); }
};

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  ::write(p[1], "hello world ", 12);
  Fd f{p[0]};
  Reader<Fd> r{f};
  std::printf("%zu\n", r.len());
}
