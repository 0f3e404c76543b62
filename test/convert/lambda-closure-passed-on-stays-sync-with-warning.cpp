// A lambda that reaches I/O but whose closure is handed to other code (an
// algorithm, a std::function, a return value) would be called where
// nothing awaits a task: it stays a plain lambda, its I/O blocking, with a
// warning naming where the closure goes; nothing else needs to change, so
// nothing is written (exit 0).
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=0

// CHECK:      a.cpp:7:41: warning: the lambda in send_all() reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade), and in async mode it blocks the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:7:41: note: its closure is stored or passed on here, to code that calls it without awaiting
// CHECK-NEXT: a.cpp:7:54: note: 'lambda in send_all()' calls 'write' here
// CHECK-NEXT: a.cpp:11:12: warning: the lambda in make() reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade), and in async mode it blocks the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:13:10: note: its closure is stored or passed on here, to code that calls it without awaiting
// CHECK-NEXT: a.cpp:11:19: note: 'lambda in make()' calls 'write' here
// CHECK-EMPTY:

//--- a.cpp
#include <algorithm>
#include <functional>
#include <unistd.h>
#include <vector>

void send_all(const std::vector<int> &fds) {
  std::for_each(fds.begin(), fds.end(), [](int fd) { ::write(fd, "x", 1); });
}

std::function<void()> make(int fd) {
  auto f = [fd] { ::write(fd, "y", 1); };
  f();
  return f;
}
