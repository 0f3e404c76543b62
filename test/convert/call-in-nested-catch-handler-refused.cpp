// A handler that awaits is moved after its try statement (see
// call-in-catch-handler-moved-after-try.cpp), but not one inside another
// handler: a call there that must be awaited is refused with a message
// about the handler. Exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:17:14: error: call of 'get' cannot be awaited: it is inside a catch handler, where co_await is not allowed, and the handler cannot be moved after its try statement (it is in a handler inside another handler) [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:6:3: note: 'get' calls 'read' here
// CHECK-NEXT: error: nothing was written

//--- a.cpp
#include <stdexcept>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int safe(int fd) {
  try {
    return get(fd);
  } catch (const std::exception &) {
    try {
      throw;
    } catch (const std::runtime_error &) {
      return get(fd);
    }
  }
}
