// A std::condition_variable_any waited on with a std::stop_token (the
// waits a stop request ends) in a function that becomes a coroutine cannot
// become a vinyl::condition_variable, whose waits take no stop token: it
// keeps its std type, and the conversion warns at the wait, saying why.
// Only it is refused: the std::mutex of its lock, held across a call that
// becomes a co_await, still becomes a vinyl::mutex (a
// std::condition_variable_any waits with any lock), and the conversion
// lands and compiles with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/err.txt
// RUN: FileCheck %s --check-prefix=CODE --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both -pthread %t/a.cpp

// CHECK:      a.cpp:12:12: warning: waiting on the std::condition_variable_any 'Queue::ready_' in the coroutine 'Queue::take' blocks the thread: on the event loop no other task runs until it is notified [vinyl-lock-across-await]
// CHECK-NEXT: a.cpp:12:12: note: 'Queue::ready_' cannot become a vinyl::condition_variable: it is waited on with a std::stop_token, which a vinyl::condition_variable does not take
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-NOT:  warning

// CODE:     auto lk = co_await vinyl::scoped_lock(mu_);
// CODE-NEXT:     ready_.wait(lk, stop, [&] { return !text_.empty(); });
// CODE:   vinyl::mutex mu_;
// CODE-NEXT:   std::condition_variable_any ready_;

//--- a.cpp
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <unistd.h>

class Queue {
public:
  // Waits for text, or for a stop request, then reads one more byte.
  std::string take(int fd, std::stop_token stop) {
    std::unique_lock<std::mutex> lk(mu_);
    ready_.wait(lk, stop, [&] { return !text_.empty(); });
    char c = 0;
    ::read(fd, &c, 1);
    return text_ + c;
  }
  void put(std::string s) {
    std::lock_guard<std::mutex> g(mu_);
    text_ += s;
    ready_.notify_all();
  }

private:
  std::mutex mu_;
  std::condition_variable_any ready_;
  std::string text_;
};
