// A std::condition_variable_any waited on with a std::stop_token (the
// waits a stop request ends) in a function that becomes a coroutine becomes
// a vinyl::condition_variable, whose waits take the token too, and the
// std::mutex of its lock, held across a call that becomes a co_await, a
// vinyl::mutex. The program waits once until another thread puts text and
// once until another thread requests a stop; both compilers, both modes,
// print what the original printed, with no warning.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc < %t/input.txt > %t/expected
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/clang-async.out && diff %t/expected %t/clang-async.out

// ERR-NOT:    warning
// ERR:        converted {{.*}}a.cpp

// CHECK:          auto lk = co_await vinyl::scoped_lock(mu_);
// CHECK-NEXT:     bool got = co_await ready_.wait(lk, stop, [&] { return !text_.empty(); });
// CHECK:        vinyl::mutex mu_;
// CHECK-NEXT:   vinyl::condition_variable ready_;

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
ab
//--- a.cpp
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <unistd.h>

class Queue {
public:
  // Waits for text, or for a stop request, then reads one more byte.
  std::string take(int fd, std::stop_token stop) {
    std::unique_lock<std::mutex> lk(mu_);
    bool got = ready_.wait(lk, stop, [&] { return !text_.empty(); });
    char c = 0;
    ::read(fd, &c, 1);
    return (got ? text_ : std::string("stopped:")) + c;
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

int main() {
  using namespace std::chrono_literals;
  {
    Queue q;
    std::stop_source source;
    std::thread stopper([&] {
      std::this_thread::sleep_for(20ms);
      source.request_stop();
    });
    std::printf("%s\n", q.take(0, source.get_token()).c_str());
    stopper.join();
  }
  Queue q;
  std::stop_source source;
  std::thread putter([&] {
    std::this_thread::sleep_for(20ms);
    q.put("text:");
  });
  std::printf("%s\n", q.take(0, source.get_token()).c_str());
  putter.join();
}
