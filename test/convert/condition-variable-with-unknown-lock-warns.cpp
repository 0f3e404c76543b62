// A std::condition_variable waited on in a function that becomes a
// coroutine, with a lock the rewrite does not follow (a parameter), stays
// std: on the event loop the wait blocks the thread, so the conversion
// warns at the wait and says why it stays. The conversion lands and
// compiles with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --input-file=%t.err
// RUN: %compile-both -pthread %t/a.cpp

// CHECK: a.cpp:9:9: warning: waiting on the std::condition_variable 'ready' in the coroutine 'take' blocks the thread: on the event loop no other task runs until it is notified [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:5:32: note: 'ready' cannot become a vinyl::condition_variable: it waits with a lock the rewrite does not follow

//--- a.cpp
#include <condition_variable>
#include <mutex>
#include <unistd.h>

static std::condition_variable ready;
static bool go = false;

char take(int fd, std::unique_lock<std::mutex> &lk) {
  ready.wait(lk, [] { return go; });
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
