// A thread started inside a template is dependent in the pattern, so the
// tool does not follow it: if its function reaches I/O, the function's
// address (or the lambda's closure) is refused, and the error says that it
// is inside a template. Exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK-DAG: a.cpp:10:20: error: the address of 'Pool::one' is taken here, but it reaches blocking I/O: a call through the pointer could not be awaited (it is inside a template, where threads and stored functions are not followed) [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:16:15: error: the lambda in run() reaches blocking I/O, but its closure is stored or passed on here: a call through it could not be awaited (it is inside a template, where threads and stored functions are not followed) [vinyl-cannot-convert]

//--- a.cpp
#include <thread>
#include <unistd.h>

template <class T> struct Pool {
  int fd;
  void one(T v) {
    ::write(fd, "x", 1 + 0 * sizeof v);
  }
  void run(T v) {
    std::thread t(&Pool::one, this, v);
    t.join();
  }
};

template <class T> void run(int fd, T v) {
  std::thread([fd, v] { ::write(fd, "y", 1 + 0 * sizeof v); }).detach();
}

int main() {
  Pool<int> p{1};
  p.run(1);
  run(1, 2);
}
