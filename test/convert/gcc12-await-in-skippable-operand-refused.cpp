// A call that must be awaited in an operand that may be skipped (a branch
// of ?:, the right of && or ||) is refused where g++ 12.2 would evaluate
// the co_await even when the operand is skipped: a co_return and a call's
// argument (see gcc12-await-in-skippable-operand-while-becomes-if.cpp for
// the places that convert). Exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK-DAG: a.cpp:10:17: error: call of 'next_byte' cannot be awaited: it is in a branch of ?: or the right of && or ||, which g++ 12 evaluates even when it is skipped; move the expression into a variable's initialiser or an if condition [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:15:46: error: call of 'next_byte' cannot be awaited: it is in a branch of ?: or the right of && or ||, which g++ 12 evaluates even when it is skipped; move the expression into a variable's initialiser or an if condition [vinyl-cannot-convert]

//--- a.cpp
#include <unistd.h>

static int next_byte(int fd) {
  char c = 0;
  long got = ::read(fd, &c, 1);
  return got == 1 ? c : -1;
}

static int maybe(int fd, bool want) {
  return want ? next_byte(fd) : -1;
}

static void note(bool) {}

void check(int fd, bool want) { note(want && next_byte(fd) == 'y'); }

int main() { return maybe(0, true) + 1; }
