// A lambda that reaches I/O but whose closure is handed to other code
// (an algorithm, a std::function, a return value) would be called where
// nothing awaits its task: each such use is a located error naming the
// chain, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:7:41: error: the lambda in send_all() reaches blocking I/O, but its closure is stored or passed on here: a call through it could not be awaited [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:7:54: note: 'lambda in send_all()' calls 'write' here
// CHECK-NEXT: a.cpp:13:10: error: the lambda in make() reaches blocking I/O, but its closure is stored or passed on here: a call through it could not be awaited [vinyl-cannot-convert]
// CHECK-NEXT: a.cpp:11:19: note: 'lambda in make()' calls 'write' here

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
