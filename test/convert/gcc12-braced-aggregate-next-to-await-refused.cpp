// g++ 12 destroys the members of a braced aggregate of a class with a
// destructor twice when the full-expression suspends (a double free at
// run time; clang++ is fine): `Rec r{get(fd), "alpha"}` and
// `send(fd, Msg{"host", 1})` would crash once awaited. Such calls are
// refused with the fix (hoist into a variable), exit 2, nothing written.
// A braced aggregate of trivially destructible members is not refused.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK: a.cpp:26:9: error: call of 'get' cannot be awaited: its full-expression aggregate-initialises 'Rec' with braces, which g++ 12 miscompiles next to co_await (its members are destroyed twice); hoist the awaited call, or the braced object, into a variable of its own [vinyl-cannot-convert]
// CHECK: a.cpp:28:33: error: call of 'send' cannot be awaited: its full-expression aggregate-initialises 'Msg' with braces
// CHECK-NOT: 'Point'
// CHECK: error: nothing was written

//--- a.cpp
#include <string>
#include <unistd.h>

struct Rec {
  int id;
  std::string name;
};
struct Msg {
  std::string host;
  int port;
};
struct Point {
  int x, y;
};

static int get(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

static long send(int fd, const Msg &m) {
  return ::write(fd, m.host.data(), m.host.size()) + m.port;
}

int load(int fd) {
  Rec r{get(fd), "alpha"};
  Point p{get(fd), 2};
  return r.id + p.x + p.y + int(send(fd, Msg{"host", 1}));
}
