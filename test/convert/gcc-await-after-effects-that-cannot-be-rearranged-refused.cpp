// For g++, a statement whose await the compiler would evaluate before
// effects the original evaluated first is rearranged (see
// gcc-awaits-keep-the-original-evaluation-order.cpp); where it cannot be
// (a switch's condition, an if with an init-statement), the call is refused
// at its location, saying why and what to do, rather than converted in
// another order. Exit 2, nothing written. For clang++ the same code
// converts as written.
// RUN: rm -rf %t %t.orig %t-clang && split-file %s %t && cp -r %t %t-clang
// RUN: %mkdb %t a.cpp && %mkdb --compiler clang++-22 %t-clang a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t
// RUN: %vinyl %t-clang
// RUN: FileCheck %s --check-prefix=CLANG --match-full-lines --input-file=%t-clang/a.cpp

// EXIT: exit=2

// CHECK-DAG: a.cpp:11:21: error: call of 'fetch' cannot be awaited: g++ 12 would evaluate the co_await it becomes before what the original evaluated first in its expression, which has side effects, and the statement cannot be rearranged (it is a switch's condition); move the call into a variable before the statement [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:17:28: error: call of 'fetch' cannot be awaited: g++ 12 would evaluate the co_await it becomes before what the original evaluated first in its expression, which has side effects, and the statement cannot be rearranged (it is the condition of an if with an init-statement); move the call into a variable before the statement [vinyl-cannot-convert]

// CLANG:        switch (note(1) + co_await fetch(2)) {
// CLANG:        if (int k = 1; note(k) < co_await fetch(2))

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <unistd.h>

static int seen = 0;
static int note(int k) { return seen += k; }
static int fetch(int k) {
  (void)!::write(2, "", 0);
  return seen * k;
}

static int pick() {
  switch (note(1) + fetch(2)) {
  case 4:
    return 1;
  default:
    break;
  }
  if (int k = 1; note(k) < fetch(2))
    return 2;
  return 3;
}

int main() { return pick() == 1 ? 0 : 1; }
