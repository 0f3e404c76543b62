// A call producing the range of a range-for is awaited in the range
// expression; the awaited temporary lives for the whole loop, and the
// program prints the same.
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

// CHECK:      static vinyl::task<std::string> sum_async(int fd) {
// CHECK-NEXT:   std::string out;
// CHECK-NEXT:   for (char c : co_await word(fd))
// CHECK-NEXT:     out = c + out;
// CHECK-NEXT:   for (const std::string &w : co_await words(fd))
// CHECK-NEXT:     out += "/" + w;
// CHECK-NEXT:   co_return out;
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
hello world again
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

static std::string word(int fd) {
  std::string w;
  char c;
  while (::read(fd, &c, 1) == 1 && c != ' ' && c != '\n')
    w += c;
  return w;
}

static std::vector<std::string> words(int fd) {
  std::vector<std::string> v;
  v.push_back(word(fd));
  v.push_back(word(fd));
  return v;
}

static std::string sum(int fd) {
  std::string out;
  for (char c : word(fd))
    out = c + out;
  for (const std::string &w : words(fd))
    out += "/" + w;
  return out;
}

int main() { std::printf("%s\n", sum(0).c_str()); }
