// A std::recursive_mutex (or std::recursive_timed_mutex) held across a
// call that becomes a co_await has no vinyl equivalent: a thread owns it,
// so on the event loop another task of the same thread would lock it too
// rather than wait, and an owner finer than the thread cannot be told
// apart there. It keeps its std type, and the conversion warns at each
// such call, by a lock variable or by a plain lock() call, saying why and
// what to do; only that mutex is refused: the std::mutex of the same
// program, held across an await too, still becomes a vinyl::mutex, and
// the conversion lands and compiles with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/err.txt
// RUN: FileCheck %s --check-prefix=CODE --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both -pthread %t/a.cpp

// CHECK:      a.cpp:9:12: warning: the lock 'g' (std::lock_guard, line 8) is held across this call, which is a co_await: on the event loop another task of this thread that locks the std::recursive_mutex 'Cache::mu_' gets it too, since the thread owns it; release the lock before the call [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:34:24: note: 'Cache::mu_' cannot become a vinyl::mutex: a std::recursive_mutex may be locked again by the thread that holds it, and on the event loop no owner finer than the thread can be told apart; if it is never locked twice, make it a std::mutex
// CHECK-NEXT: a.cpp:15:5: note: 'Cache::fill' calls 'read' here
// CHECK-NEXT: a.cpp:15:5: warning: the lock 'g' (std::lock_guard, line 13) is held across this call, which is a co_await: on the event loop another task of this thread that locks the std::recursive_mutex 'Cache::mu_' gets it too, since the thread owns it; release the lock before the call [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:34:24: note: 'Cache::mu_' cannot become a vinyl::mutex: a std::recursive_mutex may be locked again by the thread that holds it, and on the event loop no owner finer than the thread can be told apart; if it is never locked twice, make it a std::mutex
// CHECK-NEXT: a.cpp:22:5: warning: the lock on 'timed_' (lock(), line 21) is held across this call, which is a co_await: on the event loop another task of this thread that locks the std::recursive_timed_mutex 'Cache::timed_' gets it too, since the thread owns it; release the lock before the call [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:35:30: note: 'Cache::timed_' cannot become a vinyl::mutex: a std::recursive_timed_mutex may be locked again by the thread that holds it, and on the event loop no owner finer than the thread can be told apart; if it is never locked twice, make it a std::mutex
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-NOT:  warning

// CODE: #include <vinyl/sync.hpp>
// CODE:     auto g = co_await vinyl::scoped_lock(plain_);
// CODE:   std::recursive_mutex mu_;
// CODE-NEXT:   std::recursive_timed_mutex timed_;
// CODE-NEXT:   vinyl::mutex plain_;

//--- a.cpp
#include <mutex>
#include <string>
#include <unistd.h>

class Cache {
public:
  std::string get(int fd) {
    std::lock_guard<std::recursive_mutex> g(mu_);
    return fill(fd);
  }
  std::string fill(int fd) {
    // Locked again by get's thread: fine for a recursive mutex.
    std::lock_guard<std::recursive_mutex> g(mu_);
    char c = 0;
    ::read(fd, &c, 1);
    text_ += c;
    return text_;
  }
  char timed(int fd) {
    char c = 0;
    timed_.lock();
    ::read(fd, &c, 1);
    timed_.unlock();
    return c;
  }
  char plain(int fd) {
    std::lock_guard<std::mutex> g(plain_);
    char c = 0;
    ::read(fd, &c, 1);
    return c;
  }

private:
  std::recursive_mutex mu_;
  std::recursive_timed_mutex timed_;
  std::mutex plain_;
  std::string text_;
};
