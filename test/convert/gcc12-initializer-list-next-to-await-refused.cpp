// g++ 12 cannot compile a std::initializer_list in a full-expression that
// contains co_await ("array used as initializer"), so a call that would be
// awaited with a braced-list argument is refused at the call, with the fix
// (hoist the list), exit 2 and nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK: a.cpp:10:28: error: call of 'call' cannot be awaited: its full-expression builds a std::initializer_list, which g++ 12 cannot compile next to co_await ('array used as initializer'); hoist the braced list into a variable [vinyl-cannot-convert]
// CHECK: a.cpp:7:3: note: 'call' calls 'read' here

//--- a.cpp
#include <string>
#include <unistd.h>
#include <vector>

int call(const std::vector<std::string> &words) {
  char c = 0;
  ::read(0, &c, words.size());
  return c;
}
static int ping() { return call({"PING"}); }
int use() { return ping(); }
