// A thread started inside a template is dependent in the pattern, so the
// tool does not follow it: a member function it runs keeps its name as a
// blocking facade (the thread runs that), a lambda it runs stays a plain
// lambda (its leaf call waits in place); each with a warning that says it
// is inside a template. The
// conversion lands and compiles.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// WARN-DAG: a.cpp:10:20: warning: the address of 'Pool::one' is taken here, and it reaches blocking I/O: calls through the pointer use its blocking facade, which in async mode waits in a nested run of the event loop (it is inside a template, where threads and stored functions are not followed) [vinyl-blocking-fallback]
// WARN-DAG: a.cpp:16:15: warning: the lambda in run() reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// WARN-DAG: a.cpp:16:15: note: its closure is passed on here: it is inside a template, where threads and stored functions are not followed

// CHECK:        void one(T v) {
// CHECK-NEXT:     return vinyl::block_on(one_async(v));
// CHECK-NEXT:   }
// CHECK:        std::thread t(&Pool::one, this, v);
// CHECK:        std::thread([fd, v] { vinyl::block_on(vinyl::io::write(fd, "y", 1 + 0 * static_cast<unsigned>(v))); }).detach();

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
  std::thread([fd, v] { ::write(fd, "y", 1 + 0 * static_cast<unsigned>(v)); }).detach();
}

int main() {
  Pool<int> p{1};
  p.run(1);
  run(1, 2);
}
