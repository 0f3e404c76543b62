// Synchronous code keeps working with the objects that became vinyl ones:
// a producer holds the mutex across a read that becomes a co_await, so the
// mutex and its condition variable convert, while a consumer std::thread,
// which does no I/O and stays a thread, waits on the condition variable in
// place (`vinyl::block_on(ready_.wait(lk, ...))`) with a
// `std::unique_lock<vinyl::mutex>`. The converted program, with its two
// threads, builds with both compilers and prints what the original prints,
// in both modes, under ThreadSanitizer.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=thread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async-clang.out && diff %t/orig.out %t/async-clang.out

// CHECK:     auto g = co_await vinyl::scoped_lock(mu_);
// CHECK:     std::unique_lock<vinyl::mutex> lk(mu_);
// CHECK-NEXT:     vinyl::block_on(ready_.wait(lk, [&] { return !bytes_.empty() || done_; }));
// CHECK:   vinyl::mutex mu_;
// CHECK-NEXT:   vinyl::condition_variable ready_;

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdef
//--- a.cpp
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <unistd.h>

class Channel {
public:
  // Reads a byte and queues it; false at the end of the input.
  bool produce(int fd) {
    std::lock_guard<std::mutex> g(mu_);
    char c = 0;
    if (::read(fd, &c, 1) != 1 || c == '\n') {
      done_ = true;
      ready_.notify_all();
      return false;
    }
    bytes_.push_back(c);
    ready_.notify_one();
    return true;
  }
  // Takes a byte, or 0 once the producer is done and nothing is left.
  char consume() {
    std::unique_lock<std::mutex> lk(mu_);
    ready_.wait(lk, [&] { return !bytes_.empty() || done_; });
    if (bytes_.empty())
      return 0;
    char c = bytes_.front();
    bytes_.pop_front();
    return c;
  }

private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<char> bytes_;
  bool done_ = false;
};

int main() {
  Channel ch;
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
  std::printf("%d bytes, sum %d\n", count, sum);
}
