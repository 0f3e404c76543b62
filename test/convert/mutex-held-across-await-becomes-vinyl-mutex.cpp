// A std::mutex held across a call that becomes a co_await, and the
// std::condition_variable that waits with it, become vinyl::mutex and
// vinyl::condition_variable, which suspend the task instead of the thread
// on the event loop. Each use is rewritten for where it runs: a lock in a
// coroutine is taken with an await (`auto g = co_await
// vinyl::scoped_lock(m)`, `co_await m.lock_async()`, a relock `co_await
// vinyl::lock_async(lk)`), a wait is awaited; synchronous code keeps its
// std::lock_guard, of the new type. No lock-across-await warning is left
// for them. A mutex used in a way the rewrite does not follow (its address
// passed on) stays a std::mutex and the warning says why. The converted
// program builds with both compilers and prints what the original prints,
// in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err.txt
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out

// CHECK: #include <vinyl/sync.hpp>
// CHECK:     auto g = co_await vinyl::scoped_lock(mu_);
// CHECK:     auto lk = co_await vinyl::scoped_lock(mu_);
// CHECK:     co_await cv_.wait(lk, [&] { return !chars_.empty(); });
// CHECK:     co_await vinyl::lock_async(lk);
// CHECK:     co_await mu_.lock_async();
// CHECK:     std::lock_guard<vinyl::mutex> g(mu_);
// CHECK:   mutable vinyl::mutex mu_;
// CHECK:   vinyl::condition_variable cv_;
// CHECK:   std::mutex other_;

// WARN-NOT: 'g' (std::lock_guard, line 24)
// WARN: a.cpp:[[#]]:[[#]]: warning: the lock 'h' (std::lock_guard, line [[#]]) is held across this call, which is a co_await: {{.*}} [vinyl-lock-across-await]
// WARN: a.cpp:[[#]]:[[#]]: note: 'Log::other_' cannot become a vinyl::mutex: it is used here in a way the rewrite does not follow

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdefgh
//--- a.cpp
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <unistd.h>

static void touch(std::mutex *m) {
  m->lock();
  m->unlock();
}

class Log {
public:
  void append(int fd) {
    std::lock_guard<std::mutex> g(mu_);
    char c = 0;
    ::read(fd, &c, 1);
    chars_.push_back(c);
    cv_.notify_one();
  }
  char take(int fd) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return !chars_.empty(); });
    char c = chars_.front();
    chars_.pop_front();
    lk.unlock();
    char d = 0;
    ::read(fd, &d, 1);
    lk.lock();
    chars_.push_back(d);
    return c;
  }
  void locked_read(int fd) {
    mu_.lock();
    char c = 0;
    ::read(fd, &c, 1);
    chars_.push_back(c);
    mu_.unlock();
  }
  unsigned size() const {
    std::lock_guard<std::mutex> g(mu_);
    return static_cast<unsigned>(chars_.size());
  }
  void other(int fd) {
    touch(&other_);
    std::lock_guard<std::mutex> h(other_);
    char c = 0;
    ::read(fd, &c, 1);
  }

private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::mutex other_;
  std::deque<char> chars_;
};

int main() {
  Log log;
  log.append(0);
  log.append(0);
  char a = log.take(0);
  log.locked_read(0);
  log.other(0);
  std::printf("%c %u\n", a, log.size());
}
