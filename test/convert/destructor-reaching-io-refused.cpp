// A destructor that reaches I/O cannot become a coroutine: refused at the
// destructor with the chain to the leaf, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:7:3: error: destructor 'Closer::~Closer' reaches blocking I/O but cannot become a coroutine; --allow-blocking-constructors keeps it synchronous through blocking facades [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:7:15: note: 'Closer::~Closer' calls 'bye' here
// CHECK-NEXT: a.cpp:3:27: note: 'bye' calls 'write' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <unistd.h>

static void bye(int fd) { ::write(fd, "x", 1); }

struct Closer {
  int fd;
  ~Closer() { bye(fd); }
};
