// End to end: `vinyl-asyncify --facts-out` writes the whole-program
// verdicts (writing no source), and the clang-tidy module reads them, so a
// function that is async only because of another TU is reported in this
// one, with the chain the CLI found. (The test tool checks a copy named
// fixed.cpp, so the chain's a.cpp is printed as text.) `main` is reported
// too, keeping its name as the facade over main_async; `twice`, called
// only from it, keeps none.
// REQUIRES: clang-tidy
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp io.cpp
// RUN: cp -r %t %t.orig
// RUN: %vinyl --facts-out %t/facts.yaml %t
// RUN: mv %t/facts.yaml %t.facts.yaml && diff -r %t.orig %t
// RUN: %check_tidy %t/a.cpp vinyl-needs-async %t/fixed.cpp --config="{CheckOptions: {vinyl-needs-async.FactsFile: '%t.facts.yaml'}}"

//--- io.h
#pragma once
int get_byte(int fd);
//--- io.cpp
#include "io.h"
#include <unistd.h>
int get_byte(int fd) {
  unsigned char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
//--- a.cpp
#include "io.h"

int twice(int fd) {
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'twice' must become a coroutine: the whole-program analysis found that it reaches blocking I/O [vinyl-needs-async]
  // CHECK-MESSAGES: note: a.cpp:7:10: 'twice' calls 'get_byte' here
  // CHECK-MESSAGES: note: io.cpp:5:10: 'get_byte' calls 'read' here
  return get_byte(fd) + get_byte(fd);
}

int main() { return twice(0); }
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'main' must become a coroutine: the whole-program analysis found that it reaches blocking I/O (its name stays, as a blocking facade) [vinyl-needs-async]
// CHECK-MESSAGES: note: a.cpp:10:21: 'main' calls 'twice' here
