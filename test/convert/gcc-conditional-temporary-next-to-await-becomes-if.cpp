// g++ 12 destroys a class temporary made by ?: twice when its
// full-expression suspends (a double free at run time). For g++, the
// statement becomes an if around copies of itself; a branch whose type
// differs from the ?:'s is cast to it, so each copy converts (and calls)
// what the original did: `post(const char *)` is never picked for "hi".
// The program prints the same with both compilers, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      vinyl::task<long> greet_async(bool formal, const std::string &name) {
// CHECK-NEXT:   const std::string prefix = "Dear ";
// CHECK-NEXT:   { if (formal) { co_return co_await post(prefix + name); } else { co_return co_await post(static_cast<std::basic_string<char, std::char_traits<char>, std::allocator<char>>>("hi")); } }
// CHECK-NEXT: }
// CHECK:      vinyl::task<std::unique_ptr<Conn>> keep_async(std::unique_ptr<Conn> c) {
// CHECK-NEXT:   {{\[\[}}maybe_unused]] bool vinyl_gcc12_frame = true; // g++ 12.2 miscompiles coroutines without locals
// CHECK-NEXT:   { if (co_await post("?") > 1) { co_return static_cast<std::unique_ptr<Conn>>(std::move(c)); } else { co_return static_cast<std::unique_ptr<Conn>>(nullptr); } }
// CHECK-NEXT: }

// OUT:      string Dear ann
// OUT-NEXT: string hi
// OUT-NEXT: pointer ?
// OUT-NEXT: kept 0
// OUT-NEXT: 8 2 0

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <memory>
#include <string>
#include <unistd.h>

long post(const std::string &s) {
  std::printf("string %s\n", s.c_str());
  std::fflush(stdout);
  return ::write(2, s.data(), 0) + (long)s.size();
}

long post(const char *s) {
  std::printf("pointer %s\n", s);
  std::fflush(stdout);
  return ::write(2, s, 0) + 1;
}

long greet(bool formal, const std::string &name) {
  const std::string prefix = "Dear ";
  return post(formal ? prefix + name : "hi");
}

struct Conn {
  int fd = 0;
};

std::unique_ptr<Conn> keep(std::unique_ptr<Conn> c) {
  return post("?") > 1 ? std::move(c) : nullptr;
}

int main() {
  long a = greet(true, "ann");
  long b = greet(false, "bob");
  std::unique_ptr<Conn> k = keep(std::make_unique<Conn>());
  std::printf("kept %d\n", k != nullptr);
  std::printf("%ld %ld %d\n", a, b, 0);
}
