// A lambda that reaches I/O but whose closure is handed to other code (an
// algorithm, a std::function, a return value) would be called where
// nothing awaits a task: it stays a plain lambda, with a warning naming
// where the closure goes; its leaf calls wait for their awaitables in place
// (exit 0).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --check-prefix=CODE --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// EXIT: exit=0

// CHECK:      a.cpp:7:41: warning: the lambda in send_all() reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:7:41: note: its closure is stored or passed on here, to code that calls it without awaiting
// CHECK-NEXT: a.cpp:7:54: note: 'lambda in send_all()' calls 'write' here
// CHECK-NEXT: a.cpp:11:12: warning: the lambda in make() reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:13:10: note: its closure is passed on here: its type 'std::function<void()>' keeps its signature: a value the tool cannot follow to the paths is stored as it at a.cpp:13:10
// CHECK-NEXT: a.cpp:11:19: note: 'lambda in make()' calls 'write' here
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-EMPTY:

// CODE: [](int fd) { vinyl::block_on(vinyl::io::write(fd, "x", 1)); }

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
