// A facade forwards its parameters to the coroutine: a by-value parameter
// of a class type is moved (a move-only one must be), references and
// scalars are passed as they are. The program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/a.cpp
// RUN: %t.orig-bin > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc > %t.gcc
// RUN: %t.conv.clang > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// CHECK:      static std::size_t put(std::string s, const std::string &suffix, std::unique_ptr<int> n) {
// CHECK-NEXT:   return vinyl::block_on(put_async(std::move(s), suffix, std::move(n)));
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <memory>
#include <string>
#include <unistd.h>

static std::size_t put(std::string s, const std::string &suffix, std::unique_ptr<int> n) {
  s += suffix;
  s += std::to_string(*n);
  s += '\n';
  ::write(1, s.data(), s.size());
  return s.size();
}

int main() {
  std::string a = "hello";
  std::printf("%zu\n", put(a, " world ", std::make_unique<int>(3)));
  std::printf("%s\n", a.c_str());
}
