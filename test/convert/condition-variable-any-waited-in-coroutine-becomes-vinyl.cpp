// A std::condition_variable_any waited on in a function that becomes a
// coroutine becomes a vinyl::condition_variable, whose waits take a
// unique_lock or a shared_lock of a vinyl::mutex, as
// std::condition_variable_any takes any lock; the std::shared_mutex of its
// waits becomes a vinyl::mutex with it. A wait with a std::shared_lock is
// awaited like any other. A consumer std::thread, which does no I/O and
// stays a thread, waits on it in place. No lock warning is left. The
// converted program, with its two threads, builds with both compilers and
// prints what the original prints, in both modes, under ThreadSanitizer.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t/err.txt
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=thread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async-clang.out && diff %t/orig.out %t/async-clang.out

// CHECK: #include <vinyl/sync.hpp>
// CHECK:     auto lk = co_await vinyl::scoped_lock(mu_);
// CHECK:     auto lk = co_await vinyl::scoped_lock_shared(mu_);
// CHECK-NEXT:     co_await ready_.wait(lk, [&] { return bytes_.size() >= n; });
// CHECK:     std::unique_lock<vinyl::mutex> lk(mu_);
// CHECK-NEXT:     vinyl::block_on(ready_.wait(lk, [&] { return !bytes_.empty() || done_; }));
// CHECK:   vinyl::mutex mu_;
// CHECK-NEXT:   vinyl::condition_variable ready_;

// ERR-NOT: warning

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdef
//--- a.cpp
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unistd.h>

class Channel {
public:
  // Reads a byte and queues it; false at the end of the input.
  bool produce(int fd) {
    std::unique_lock<std::shared_mutex> lk(mu_);
    char c = 0;
    if (::read(fd, &c, 1) != 1 || c == '\n') {
      done_ = true;
      ready_.notify_all();
      return false;
    }
    bytes_ += c;
    ready_.notify_all();
    return true;
  }
  // Waits, sharing the lock, until n bytes came, then reads one more
  // byte for the caller.
  std::string peek_then_read(std::size_t n, int fd) {
    std::shared_lock<std::shared_mutex> lk(mu_);
    ready_.wait(lk, [&] { return bytes_.size() >= n; });
    char c = 0;
    ::read(fd, &c, 1);
    return bytes_.substr(0, n) + c;
  }
  // Takes a byte, or 0 once the producer is done and nothing is left.
  char consume() {
    std::unique_lock<std::shared_mutex> lk(mu_);
    ready_.wait(lk, [&] { return !bytes_.empty() || done_; });
    if (bytes_.empty())
      return 0;
    char c = bytes_.front();
    bytes_.erase(0, 1);
    return c;
  }

private:
  std::shared_mutex mu_;
  std::condition_variable_any ready_;
  std::string bytes_;
  bool done_ = false;
};

int main() {
  Channel ch;
  ch.produce(0);
  ch.produce(0);
  std::string peeked = ch.peek_then_read(2, 0);
  int sum = 0, count = 0;
  std::thread consumer([&] {
    while (char c = ch.consume()) {
      sum += c;
      ++count;
    }
  });
  while (ch.produce(0)) {
  }
  consumer.join();
  std::printf("%s: %d bytes, sum %d\n", peeked.c_str(), count, sum);
}
