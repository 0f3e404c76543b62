// A const member function reaching I/O becomes a const coroutine (the
// `const` qualifier stays after the parameters), callable on const objects.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/peer.h
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// HDR:      vinyl::task<int> peek_async() const;
// HDR-NEXT:   int peek() const;

// CHECK:      vinyl::task<int> Peer::peek_async() const {
// CHECK:      int Peer::peek() const {
// CHECK-NEXT:   return vinyl::block_on(peek_async());
// CHECK-NEXT: }
// CHECK:      vinyl::task<int> first_of_async(const Peer &p) { co_return co_await p.peek_async(); }

//--- peer.h
#pragma once
class Peer {
  int fd_ = 0;

public:
  int peek() const;
};
int first_of(const Peer &p);
//--- a.cpp
#include "peer.h"
#include <unistd.h>

int Peer::peek() const {
  char c = 0;
  ::read(fd_, &c, 1);
  return c;
}

int first_of(const Peer &p) { return p.peek(); }
