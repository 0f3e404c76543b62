// A container of callbacks written inline (`std::deque<std::function<void()>>
// pending_`) is one more place of their family when every use of it adds
// an element, takes one (`front()`, `back()`, `at(i)`, `[i]`), drops
// elements or asks its size: the element type becomes a task type and a
// call of a taken element is awaited. A container iterated over (or passed
// on, or erased from by iterator) is not followed, so its family keeps its
// signature and its lambdas call facades, with a warning naming the use.
// The converted program prints the same in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out

// CHECK:        void listen(std::function<void(const std::string &)> f) {
// CHECK:        std::vector<std::function<void(const std::string &)>> listeners_;
// CHECK:        void post(std::function<vinyl::task<void>()> h) { pending_.push_back(std::move(h)); }
// CHECK-NEXT:   vinyl::task<void> run() {
// CHECK:            co_await pending_.front()();
// CHECK:        std::deque<std::function<vinyl::task<void>()>> pending_;
// CHECK:        bus.listen([fd](const std::string &e) { vinyl::block_on(vinyl::io::write(fd, e.data(), e.size())); });
// CHECK:        inbox.post([fd]() -> vinyl::task<void> { co_await vinyl::io::write(fd, "posted\n", 7); });

// WARN: a.cpp:41:14: note: its closure is passed on here: its type 'std::function<void(const std::string &)>' keeps its signature: 'listeners_', a container of it, is used other than to add, take or drop its elements at a.cpp:15:20

// OUT:      event
// OUT-NEXT: posted

//--- a.cpp
#include <functional>
#include <string>
#include <unistd.h>
#include <deque>
#include <vector>

// Listeners run by a range-for: the loop variable is no place the tool
// follows, so their type keeps its signature.
class Bus {
public:
  void listen(std::function<void(const std::string &)> f) {
    listeners_.push_back(std::move(f));
  }
  void publish(const std::string &event) {
    for (auto &f : listeners_)
      f(event);
  }

private:
  std::vector<std::function<void(const std::string &)>> listeners_;
};

// Handlers taken one by one from a queue of them: converted.
class Inbox {
public:
  void post(std::function<void()> h) { pending_.push_back(std::move(h)); }
  void run() {
    while (!pending_.empty()) {
      pending_.front()();
      pending_.pop_front();
    }
  }

private:
  std::deque<std::function<void()>> pending_;
};

int main() {
  int fd = 1;
  Bus bus;
  bus.listen([fd](const std::string &e) { ::write(fd, e.data(), e.size()); });
  bus.publish("event\n");
  Inbox inbox;
  inbox.post([fd] { ::write(fd, "posted\n", 7); });
  inbox.run();
}
