// A mutex locked with a plain call through a pointer (`m->lock()`) and
// still locked at a call that becomes a co_await is held across the
// suspension, but the rewrite cannot change the type of what the pointer
// points to: the conversion warns at the call, saying why, and the mutex
// stays std. Only it is refused: the std::mutex locked the same way by its
// own name still becomes a vinyl::mutex, and the conversion lands and
// compiles with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/err.txt
// RUN: FileCheck %s --check-prefix=CODE --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both -pthread %t/a.cpp

// CHECK:      a.cpp:10:3: warning: the lock on 'm' (lock(), line 8) is held across this call, which is a co_await: on the event loop another task that takes the same mutex blocks the thread; release the lock before the call [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:7:30: note: 'm' cannot become a vinyl::mutex: it is reached through a pointer
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-NOT:  warning

// CODE:      static std::mutex shared;
// CODE-NEXT: static vinyl::mutex own;
// CODE:      vinyl::task<char> locked_read(std::mutex *m, int fd) {
// CODE-NEXT:   m->lock();
// CODE:        co_await own.lock_async();

//--- a.cpp
#include <mutex>
#include <unistd.h>

static std::mutex shared;
static std::mutex own;

char locked_read(std::mutex *m, int fd) {
  m->lock();
  char c = 0;
  ::read(fd, &c, 1);
  m->unlock();
  return c;
}

char own_read(int fd) {
  own.lock();
  char c = 0;
  ::read(fd, &c, 1);
  own.unlock();
  return c;
}

char both(int fd) { return locked_read(&shared, fd) + own_read(fd); }
