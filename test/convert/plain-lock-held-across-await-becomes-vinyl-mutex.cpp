// A std::mutex locked with a plain call (`mu_.lock()`, `mu_.try_lock()`,
// no lock variable) and still locked at a call that becomes a co_await is
// held across the suspension, as a lock_guard would be: it becomes a
// vinyl::mutex, its waiting lock is awaited (`co_await mu_.lock_async()`)
// and the calls that do not wait (try_lock, unlock) stay as written. The
// mutex counts as held from the call that locks it until an unlock written
// as a statement of the same block. A mutex unlocked before the call (the
// counter's) keeps its std type and nothing is reported. The converted
// program builds with both compilers and prints what the original prints,
// in both modes.
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
// CHECK:   vinyl::task<char> locked_read_async(int fd) {
// CHECK-NEXT:     co_await mu_.lock_async();
// CHECK:     mu_.unlock();
// CHECK:   vinyl::task<bool> tried_read_async(int fd) {
// CHECK-NEXT:     if (!mu_.try_lock())
// CHECK:     mu_.unlock();
// CHECK:   vinyl::task<char> counted_read_async(int fd) {
// CHECK-NEXT:     count_mu_.lock();
// CHECK:     std::lock_guard<vinyl::mutex> g(mu_);
// CHECK:     std::lock_guard<std::mutex> g(count_mu_);
// CHECK:   vinyl::mutex mu_;
// CHECK-NEXT:   std::mutex count_mu_;

// ERR-NOT: warning

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcd
//--- a.cpp
#include <cstdio>
#include <mutex>
#include <string>
#include <unistd.h>

class Log {
public:
  // Locked across the read.
  char locked_read(int fd) {
    mu_.lock();
    char c = 0;
    ::read(fd, &c, 1);
    text_ += c;
    mu_.unlock();
    return c;
  }
  // Tried, then held across the read when the try succeeded.
  bool tried_read(int fd) {
    if (!mu_.try_lock())
      return false;
    char c = 0;
    ::read(fd, &c, 1);
    text_ += c;
    mu_.unlock();
    return true;
  }
  // Unlocked before the read: the counter's mutex stays std.
  char counted_read(int fd) {
    count_mu_.lock();
    ++reads_;
    count_mu_.unlock();
    char c = 0;
    ::read(fd, &c, 1);
    return c;
  }
  std::string text() {
    std::lock_guard<std::mutex> g(mu_);
    return text_;
  }
  int reads() {
    std::lock_guard<std::mutex> g(count_mu_);
    return reads_;
  }

private:
  std::mutex mu_;
  std::mutex count_mu_;
  std::string text_;
  int reads_ = 0;
};

int main() {
  Log log;
  char a = log.locked_read(0);
  bool b = log.tried_read(0);
  char c = log.counted_read(0);
  std::printf("%c %d %c %s %d\n", a, b, c, log.text().c_str(), log.reads());
}
