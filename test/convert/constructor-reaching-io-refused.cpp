// A constructor that reaches I/O cannot become a coroutine: the tool
// refuses at the constructor, explains the chain down to the leaf, points
// at --allow-blocking-constructors, exits 2 and writes nothing.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:14:12: error: constructor 'Conn::Conn' reaches blocking I/O but cannot become a coroutine; --allow-blocking-constructors keeps it synchronous through blocking facades [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:14:33: note: 'Conn::Conn' calls 'handshake' here
// CHECK-NEXT: a.cpp:10:10: note: 'handshake' calls 'get' here
// CHECK-NEXT: a.cpp:5:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

static int handshake(int fd) {
  return get(fd) + 1;
}

struct Conn {
  explicit Conn(int fd) : first(handshake(fd)) {}
  int first;
};

int use(int fd) { return Conn(fd).first; }
