// A function returning `const std::string &` becomes a task of that
// reference type, the `const` inside the task; its facade returns the same
// reference (the same object, not a copy), and the program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/a.cpp
// RUN: %t.orig-bin < %t/input.txt > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc < %t/input.txt > %t.gcc
// RUN: %t.conv.clang < %t/input.txt > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// CHECK:      vinyl::task<const std::string &>{{ ?}}next_line_async(int fd) {
// CHECK-NEXT:   line.clear();
// CHECK-NEXT:   char c;
// CHECK-NEXT:   while (co_await vinyl::io::read(fd, &c, 1) == 1 && c != '\n')
// CHECK-NEXT:     line += c;
// CHECK-NEXT:   co_return line;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: const std::string &next_line(int fd) {
// CHECK-NEXT:   return vinyl::block_on(next_line_async(fd));
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
first
second
//--- a.cpp
#include <unistd.h>
#include <cstdio>
#include <string>

static std::string line;

const std::string &next_line(int fd) {
  line.clear();
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n')
    line += c;
  return line;
}

int main() {
  const std::string &a = next_line(0);
  std::printf("%s %d\n", a.c_str(), &a == &line);
  const std::string &b = next_line(0);
  std::printf("%s %d\n", b.c_str(), &b == &line);
}
