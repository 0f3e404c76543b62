// A std::lock_guard (or unique_lock, scoped_lock, shared_lock) in scope at
// a call that becomes a co_await is held across the suspension: on the
// event loop another task that takes the same mutex blocks the loop's
// thread. Where the mutex cannot become a vinyl::mutex (here its type is
// written through an alias), converting warns at each such call, saying
// why it stays (the conversion itself goes ahead: blocking mode behaves as
// before), a lock released by the end of its block before the call is not
// reported, and --check on the converted code reports it too (exit 1).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: %compile-both -pthread %t/a.cpp
// RUN: sh -c '%vinyl --check %t; echo "exit=$?"' > %t.check.out 2> %t.check.err
// RUN: FileCheck %s --check-prefix=CHECKMODE --input-file=%t.check.err
// RUN: FileCheck %s --check-prefix=EXIT --input-file=%t.check.out

// CHECK:      a.cpp:15:12: warning: the lock 'g' (std::lock_guard, line 13) is held across this call, which is a co_await: on the event loop another task that takes the same mutex blocks the thread; release the lock before the call [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:6:14: note: 'mu' cannot become a vinyl::mutex: its type is written through an alias or a reference
// CHECK-NEXT: a.cpp:28:14: warning: the lock 'l' (std::unique_lock, line 26) is held across this call, which is a co_await: on the event loop another task that takes the same mutex blocks the thread; release the lock before the call [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:6:14: note: 'mu' cannot become a vinyl::mutex: its type is written through an alias or a reference
// CHECK-NEXT: a.cpp:15:12: note: 'line' calls 'read' here
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-NOT:  warning

// CHECKMODE: a.cpp:16:21: warning: the lock 'g' (std::lock_guard, line 14)
// CHECKMODE: a.cpp:29:26: warning: the lock 'l' (std::unique_lock, line 27)
// CHECKMODE: 2 problems found (warnings)
// EXIT: exit=1

//--- a.cpp
#include <mutex>
#include <string>
#include <unistd.h>

using Mutex = std::mutex;
static Mutex mu;
static std::string log_text;

std::string line(int fd) {
  std::string got;
  char c;
  {
    std::lock_guard<std::mutex> g(mu);
    log_text += "reading\n";
    while (::read(fd, &c, 1) == 1 && c != '\n')
      got += c;
  }
  {
    std::lock_guard<std::mutex> g(mu);
    log_text += "done\n";
  }
  return got;
}

std::string two_lines(int fd) {
  std::unique_lock<std::mutex> l(mu);
  std::string a = log_text;
  return a + line(fd);
}

std::string unlocked(int fd) { return line(fd) + line(fd); }
