// A private member function reaching I/O becomes a coroutine under its own
// name with no facade: only its class calls it, and those calls are
// awaited. The public member keeps a facade.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/reader.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// HDR:      class Reader {
// HDR-NEXT: public:
// HDR-NEXT:   vinyl::task<int> next_async();
// HDR-NEXT:   int next();
// HDR-EMPTY:
// HDR-NEXT: private:
// HDR-NEXT:   vinyl::task<int> raw();
// HDR-NEXT:   int fd_ = 0;
// HDR-NEXT: };
// HDR-NOT:  raw_async

// CHECK:      vinyl::task<int> Reader::raw() {
// CHECK:      vinyl::task<int> Reader::next_async() { co_return co_await raw() + co_await raw(); }
// CHECK-NOT:  raw_async

//--- reader.h
#pragma once
class Reader {
public:
  int next();

private:
  int raw();
  int fd_ = 0;
};
//--- a.cpp
#include "reader.h"
#include <unistd.h>

int Reader::raw() {
  char c = 0;
  ::read(fd_, &c, 1);
  return c;
}

int Reader::next() { return raw() + raw(); }
