// A function stored as a callback type in a default argument
// (`std::function<int(char *, int)> fill = read_stdin`) is not awaited
// there, so the context, where co_await is not allowed, does not matter:
// it joins the family like any other stored function, and the default
// argument names the coroutine (the facade keeps the same default). It
// used to dissolve the family ("it is in a default argument") and keep the
// old type.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: printf 'a\nb\nc\n' | %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: not grep -v '^converted ' %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: printf 'a\nb\nc\n' | %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: printf 'a\nb\nc\n' | env VINYL_IO=async %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out

// CHECK:      vinyl::task<int> read_stdin(char *buf, int n) {
// CHECK:      vinyl::task<int> count_lines_async(std::function<vinyl::task<int>(char *, int)> fill = read_stdin) {
// CHECK:      int count_lines(std::function<vinyl::task<int>(char *, int)> fill = read_stdin) {

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <functional>
#include <unistd.h>

namespace {

int read_stdin(char *buf, int n) {
  return static_cast<int>(::read(0, buf, n));
}

int count_lines(std::function<int(char *, int)> fill = read_stdin) {
  int lines = 0;
  char c;
  while (fill(&c, 1) == 1)
    if (c == '\n')
      ++lines;
  return lines;
}

} // namespace

int main() { std::printf("%d\n", count_lines()); }
