// A function that must stay synchronous (here a constructor, and a
// destructor) and calls a leaf itself: the leaf's awaitable is waited for
// in place, `vinyl::block_on(vinyl::io::read(...))`, so that in async mode,
// called from a task, the wait runs the thread's loop rather than blocking
// it. The converted program builds with both compilers and prints what the
// original prints in both modes, and a second run finds nothing to do.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input > %t/async.out && diff %t/orig.out %t/async.out
// RUN: not %vinyl --check %t 2> %t.fixpoint
// RUN: FileCheck %s --check-prefix=FIXPOINT --input-file=%t.fixpoint

// After the conversion --check says the fallback warnings again.
// FIXPOINT: a.cpp:10:12: warning: constructor 'Conn::Conn' reaches blocking I/O but cannot become a coroutine: {{.*}} [vinyl-blocking-fallback]
// FIXPOINT-NEXT: a.cpp:10:36: note: 'Conn::Conn' waits with 'vinyl::block_on' here
// FIXPOINT-NEXT: a.cpp:11:3: warning: destructor 'Conn::~Conn' reaches blocking I/O but cannot become a coroutine: {{.*}} [vinyl-blocking-fallback]
// FIXPOINT-NEXT: a.cpp:11:13: note: 'Conn::~Conn' waits with 'vinyl::block_on' here
// FIXPOINT-NEXT: a.cpp:16:8: warning: constructing a 'Conn' here, inside the coroutine 'session_async', waits for its I/O: {{.*}} [vinyl-blocking-fallback]
// FIXPOINT-NEXT: a.cpp:10:12: note: it stays synchronous (see the warning there)
// FIXPOINT-NEXT: 3 problems found (warnings)

// CHECK:      struct Conn {
// CHECK-NEXT:   explicit Conn(int fd) : fd(fd) { vinyl::block_on(vinyl::io::read(fd, &first, 1)); }
// CHECK-NEXT:   ~Conn() { vinyl::block_on(vinyl::io::write(1, "bye\n", 4)); }
// CHECK:      vinyl::task<int> session_async(int fd) {
// CHECK-NEXT:   Conn c(fd);
// CHECK-NEXT:   co_return c.first + co_await next(fd);

// WARN: a.cpp:9:12: warning: constructor 'Conn::Conn' reaches blocking I/O but cannot become a coroutine
// WARN: a.cpp:10:3: warning: destructor 'Conn::~Conn' reaches blocking I/O but cannot become a coroutine

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
AB
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int next(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
struct Conn {
  explicit Conn(int fd) : fd(fd) { ::read(fd, &first, 1); }
  ~Conn() { ::write(1, "bye\n", 4); }
  int fd;
  char first = 0;
};
int session(int fd) {
  Conn c(fd);
  return c.first + next(fd);
}
int main() { std::printf("%d\n", session(0)); }
