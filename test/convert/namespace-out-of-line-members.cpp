// Member functions of a class in a namespace, defined out of line (inside
// a reopened namespace and with fully qualified names), are converted in
// the header and in the source; qualified calls are renamed to the
// coroutine, and the program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t net.cpp main.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/net.cpp %t/main.cpp
// RUN: %t.orig-bin < %t/input.txt > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/net.h
// RUN: FileCheck %s --check-prefix=SRC --match-full-lines --input-file=%t/net.cpp
// RUN: %build-both %t.conv %t/net.cpp %t/main.cpp
// RUN: %t.conv.gcc < %t/input.txt > %t.gcc
// RUN: %t.conv.clang < %t/input.txt > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// HDR:      namespace net {
// HDR-NEXT: class Reader {
// HDR-NEXT: public:
// HDR-NEXT:   explicit Reader(int fd) : fd_(fd) {}
// HDR-NEXT:   vinyl::task<int> next_async();
// HDR-NEXT:   int next();
// HDR:      vinyl::task<int> total_async(Reader &r, int count);
// HDR-NEXT: int total(Reader &r, int count);
// HDR-NEXT: } // namespace net

// SRC:      namespace net {
// SRC-NEXT: vinyl::task<int> Reader::next_async() {
// SRC-NEXT:   unsigned char c = 0;
// SRC-NEXT:   co_return co_await vinyl::io::read(fd_, &c, 1) == 1 ? c : -1;
// SRC-NEXT: }
// SRC-EMPTY:
// SRC-NEXT: int Reader::next() {
// SRC-NEXT:   return vinyl::block_on(next_async());
// SRC-NEXT: }
// SRC-NEXT: } // namespace net
// SRC-EMPTY:
// SRC-NEXT: vinyl::task<int> net::total_async(Reader &r, int count) {
// SRC-NEXT:   int sum = 0;
// SRC-NEXT:   for (int i = 0; i < count; ++i)
// SRC-NEXT:     sum += co_await r.next_async();
// SRC-NEXT:   co_return sum;
// SRC-NEXT: }
// SRC-EMPTY:
// SRC-NEXT: int net::total(Reader &r, int count) {
// SRC-NEXT:   return vinyl::block_on(total_async(r, count));
// SRC-NEXT: }
// SRC-EMPTY:
// SRC-NEXT: vinyl::task<int> net::doubled_async(int fd) {
// SRC-NEXT:   Reader r(fd);
// SRC-NEXT:   co_return 2 * co_await net::total_async(r, 1);
// SRC-NEXT: }

//--- input.txt
ABCDE
//--- net.h
#pragma once
namespace net {
class Reader {
public:
  explicit Reader(int fd) : fd_(fd) {}
  int next();

private:
  int fd_;
};
int total(Reader &r, int count);
} // namespace net
namespace net {
int doubled(int fd);
}
//--- net.cpp
#include "net.h"
#include <unistd.h>

namespace net {
int Reader::next() {
  unsigned char c = 0;
  return ::read(fd_, &c, 1) == 1 ? c : -1;
}
} // namespace net

int net::total(Reader &r, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i)
    sum += r.next();
  return sum;
}

int net::doubled(int fd) {
  Reader r(fd);
  return 2 * net::total(r, 1);
}
//--- main.cpp
#include "net.h"
#include <cstdio>

int main() {
  net::Reader r(0);
  std::printf("%d\n", net::total(r, 2));
  std::printf("%d\n", r.next());
  std::printf("%d\n", net::doubled(0));
}
