// A std::timed_mutex held across a call that becomes a co_await becomes a
// vinyl::mutex, whose timed tries wait on the loop's timer in async mode
// rather than block the thread: in a coroutine a lock made with a timeout
// is awaited (`auto lk = co_await vinyl::scoped_lock(mu_, 50ms)`), and so are
// the mutex's and the lock's timed tries (`co_await
// mu_.try_lock_for_async(d)`, `co_await vinyl::try_lock_until(lk, t)`);
// a lock made with a tag only gets the new type. No lock warning is left.
// The converted program builds with both compilers and prints what the
// original prints, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t/err.txt
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async-clang.out && diff %t/orig.out %t/async-clang.out

// CHECK: #include <vinyl/sync.hpp>
// CHECK:     auto lk = co_await vinyl::scoped_lock(mu_, 50ms);
// CHECK:     if (!co_await mu_.try_lock_for_async(std::chrono::milliseconds(20)))
// CHECK:     std::unique_lock<vinyl::mutex> lk(mu_, std::defer_lock);
// CHECK-NEXT:     if (!co_await vinyl::try_lock_until(lk, std::chrono::steady_clock::now() + 20ms))
// CHECK:   vinyl::mutex mu_;

// ERR-NOT: warning

//--- input.txt
abc
//--- a.cpp
#include <chrono>
#include <cstdio>
#include <mutex>
#include <unistd.h>

using namespace std::chrono_literals;

class Box {
public:
  // A lock with a timeout, held across the read.
  int timed_read(int fd) {
    std::unique_lock<std::timed_mutex> lk(mu_, 50ms);
    if (!lk.owns_lock())
      return -1;
    char c = 0;
    ::read(fd, &c, 1);
    return c;
  }
  // The mutex's own timed try.
  int tried_read(int fd) {
    if (!mu_.try_lock_for(std::chrono::milliseconds(20)))
      return -1;
    char c = 0;
    ::read(fd, &c, 1);
    mu_.unlock();
    return c;
  }
  // A deferred lock's timed try.
  int deferred_read(int fd) {
    std::unique_lock<std::timed_mutex> lk(mu_, std::defer_lock);
    if (!lk.try_lock_until(std::chrono::steady_clock::now() + 20ms))
      return -1;
    char c = 0;
    ::read(fd, &c, 1);
    return c;
  }

private:
  std::timed_mutex mu_;
};

int main() {
  Box b;
  int x = b.timed_read(0);
  int y = b.tried_read(0);
  int z = b.deferred_read(0);
  std::printf("%c %c %c\n", x, y, z);
}
