// For g++, a call to await in an operand that may be skipped (a branch of
// ?:, the right of && or ||) is refused where its statement cannot become
// an if around copies of itself (see
// gcc-statement-with-skippable-await-becomes-if.cpp): two such operators
// side by side, and an object with side effects evaluated before the
// operator. (A do-while condition becomes a for loop's if:
// gcc-await-in-skippable-operand-do-while-becomes-for.cpp.) Each error
// says why; exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK-DAG: a.cpp:15:19: error: call of 'next_byte' cannot be awaited: it is in a branch of ?: or the right of && or ||, which g++ evaluates even when it is skipped, and the statement cannot be made an if (it has two such operators side by side); move the expression into a variable's initialiser or an if condition [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:16:19: error: call of 'next_byte' cannot be awaited: it is in a branch of ?: or the right of && or ||, which g++ evaluates even when it is skipped, and the statement cannot be made an if (it has two such operators side by side); move the expression into a variable's initialiser or an if condition [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:20:25: error: call of 'next_byte' cannot be awaited: it is in a branch of ?: or the right of && or ||, which g++ evaluates even when it is skipped, and the statement cannot be made an if (what the statement evaluates before the operator has side effects); move the expression into a variable's initialiser or an if condition [vinyl-cannot-convert]

//--- a.cpp
#include <unistd.h>

static int next_byte(int fd) {
  char c = 0;
  long got = ::read(fd, &c, 1);
  return got == 1 ? c : -1;
}

struct Log {
  void note(bool, bool) {}
};
static Log &log() { static Log l; return l; }

static void both(int fd, bool a, bool b) {
  log().note(a && next_byte(fd) > 0,
             b && next_byte(fd) > 0);
}

static void object_first(int fd, bool a) {
  log().note(true, a && next_byte(fd) > 0);
}

int main() {
  both(0, true, false);
  object_first(0, true);
  return 0;
}
