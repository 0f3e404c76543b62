// A std::shared_mutex held across a call that becomes a co_await (by a
// std::shared_lock, a std::unique_lock or a plain lock_shared() call)
// becomes a vinyl::mutex, which has shared ownership too and suspends the
// task rather than the thread while it waits for either kind. In a
// coroutine a shared lock is taken with an await (`auto l = co_await
// vinyl::scoped_lock_shared(m)`, `co_await m.lock_shared_async()`);
// synchronous code keeps its std::shared_lock, of the new type. No lock
// warning is left. The converted program builds with both compilers and
// prints what the original prints, in both modes.
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
// CHECK:     auto lk = co_await vinyl::scoped_lock_shared(mu_);
// CHECK:     auto lk = co_await vinyl::scoped_lock(mu_);
// CHECK:     co_await mu_.lock_shared_async();
// CHECK:     mu_.unlock_shared();
// CHECK:     std::shared_lock<vinyl::mutex> lk(mu_);
// CHECK:   mutable vinyl::mutex mu_;

// ERR-NOT: warning

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdef
//--- a.cpp
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unistd.h>

class Table {
public:
  // Reads a byte under the shared lock, and reports what it saw.
  std::string shared_read(int fd) {
    std::shared_lock<std::shared_mutex> lk(mu_);
    char c = 0;
    ::read(fd, &c, 1);
    return text_ + c;
  }
  // Appends a byte under the exclusive lock.
  void append(int fd) {
    std::unique_lock<std::shared_mutex> lk(mu_);
    char c = 0;
    ::read(fd, &c, 1);
    text_ += c;
  }
  // Shared again, by a plain call.
  std::size_t plain_shared_read(int fd) {
    mu_.lock_shared();
    char c = 0;
    ::read(fd, &c, 1);
    std::size_t n = text_.size() + (c != 0);
    mu_.unlock_shared();
    return n;
  }
  std::string text() const {
    std::shared_lock<std::shared_mutex> lk(mu_);
    return text_;
  }

private:
  mutable std::shared_mutex mu_;
  std::string text_;
};

int main() {
  Table t;
  t.append(0);
  t.append(0);
  std::string seen = t.shared_read(0);
  std::size_t n = t.plain_shared_read(0);
  std::printf("%s %zu %s\n", seen.c_str(), n, t.text().c_str());
}
