// A callback type narrows escaping addresses only if the tool can rewrite
// it: an alias declared outside the paths (here a library header) that
// holds a function reaching I/O is refused where the function is stored,
// naming the type, with exit 2 and nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t src/a.cpp -- -I%t/lib
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t/src; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      src/a.cpp:9:22: error: 'get' reaches blocking I/O and is stored as callback type 'lib::Reader', which is not declared under the paths; add the file that declares it [vinyl-cannot-convert]
// CHECK-NEXT: src/a.cpp:6:3: note: 'get' calls 'read' here

//--- src/.vinyl.yaml
callback_types: [lib::Reader]
//--- lib/reader.h
namespace lib {
using Reader = int (*)(int fd);
}
//--- src/a.cpp
#include <reader.h>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
lib::Reader reader = get;
