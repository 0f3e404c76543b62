// A project's own function that happens to share a leaf's name (`send`
// here) is defined under the paths, so it is code to convert, not the
// POSIX leaf: its body's leaf is awaited, and its callers await it by name.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/b.cpp
// RUN: FileCheck %s --check-prefix=DEF --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp %t/b.cpp

// DEF:      vinyl::task<long> send_async(const std::string &s) {
// DEF-NEXT:   co_return co_await vinyl::io::write(1, s.data(), s.size());
// DEF-NEXT: }

// CHECK:      static vinyl::task<long> greet_async() { co_return co_await send_async("hi\n"); }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- msg.h
#pragma once
#include <string>
long send(const std::string &s);
//--- a.cpp
#include "msg.h"
#include <unistd.h>
long send(const std::string &s) {
  return ::write(1, s.data(), s.size());
}
//--- b.cpp
#include "msg.h"
static long greet() { return send("hi\n"); }
int main() { return greet() > 0 ? 0 : 1; }
