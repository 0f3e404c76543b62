// A `const &` bound to the result of a call (a temporary, its lifetime
// extended) stays valid once the call is awaited; a reference returned by
// reference still refers to the same object. The program prints the same.
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

// CHECK:      static vinyl::task<void> show_async(int fd) {
// CHECK-NEXT:   const std::string &w = co_await word(fd);
// CHECK-NEXT:   const std::string &l = co_await last_word(fd);
// CHECK-NEXT:   std::printf("%s %s %d\n", w.c_str(), l.c_str(), &l == &last);
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
alpha beta gamma delta
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>

static std::string last;

static std::string word(int fd) {
  std::string w;
  char c;
  while (::read(fd, &c, 1) == 1 && c != ' ' && c != '\n')
    w += c;
  return w;
}

static const std::string &last_word(int fd) {
  last = word(fd);
  return last;
}

static void show(int fd) {
  const std::string &w = word(fd);
  const std::string &l = last_word(fd);
  std::printf("%s %s %d\n", w.c_str(), l.c_str(), &l == &last);
}

int main() {
  show(0);
  show(0);
}
