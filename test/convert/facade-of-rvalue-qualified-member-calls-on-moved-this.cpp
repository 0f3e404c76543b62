// A public member qualified `&&` (a request that gives itself up when
// sent) keeps its blocking facade, which calls the coroutine on
// `std::move(*this)`: `*this` is an lvalue, which a `&&` member cannot be
// called on. Overloads on `const &` and `&&` each get their own. Both
// compilers, both modes, print what the original printed; a second run
// writes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t conn.cpp main.cpp
// RUN: %build-both %t/orig %t/conn.cpp %t/main.cpp
// RUN: %t/orig.gcc > %t/expected
// RUN: %vinyl %t/conn.cpp %t/conn.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/conn.cpp
// RUN: %build-both %t/conv %t/conn.cpp %t/main.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: cp %t/conn.cpp %t.first.cpp && %vinyl %t/conn.cpp %t/conn.h && diff %t.first.cpp %t/conn.cpp

// CHECK:      int Request::send() && {
// CHECK-NEXT:   return vinyl::block_on(std::move(*this).send_async());
// CHECK-NEXT: }
// CHECK:      int Request::peek() const & {
// CHECK-NEXT:   return vinyl::block_on(peek_async());
// CHECK-NEXT: }
// CHECK:      int Request::peek() && {
// CHECK-NEXT:   return vinyl::block_on(std::move(*this).peek_async());
// CHECK-NEXT: }

//--- conn.h
#pragma once

class Request {
public:
  explicit Request(int fd) : fd_(fd) {}
  // Sends the request and gives up the object.
  int send() &&;
  int peek() const &;
  int peek() &&;

private:
  int fd_;
};
//--- conn.cpp
#include "conn.h"
#include <unistd.h>

int Request::send() && { return (int)::write(fd_, "send\n", 5); }
int Request::peek() const & { return (int)::write(fd_, "peek &\n", 7); }
int Request::peek() && { return (int)::write(fd_, "peek &&\n", 8); }
//--- main.cpp
#include "conn.h"
#include <cstdio>
#include <utility>

int main() {
  Request r(1);
  int a = r.peek();
  int b = std::move(r).peek();
  int c = Request(1).send();
  std::printf("%d %d %d\n", a, b, c);
}
