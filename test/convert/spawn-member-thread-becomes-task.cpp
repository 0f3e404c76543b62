// A data member thread that the object starts (assigned in a constructor's
// body, or by a member initializer) and joins (in its destructor, or a
// member function) becomes a vinyl::join_handle when what it runs reaches
// I/O: each start becomes a spawn, each join is awaited, or waited for in
// place in a destructor, which stays synchronous (with a warning). A member
// thread used otherwise (handed out by reference) stays a thread, its
// lambda keeps calling the facade, and the warning says why. The converted
// program prints the same in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: cp %t/a.cpp %t/once.cpp && %vinyl %t 2> /dev/null && diff %t/once.cpp %t/a.cpp

// CHECK:        explicit Ticker(int fd) : fd_(fd) {
// CHECK-NEXT:     worker_ = vinyl::spawn([this]() -> vinyl::task<void> { co_await run(); });
// CHECK-NEXT:   }
// CHECK-NEXT:   ~Ticker() {
// CHECK-NEXT:     if (worker_.joinable())
// CHECK-NEXT:       vinyl::block_on(worker_.join());
// CHECK-NEXT:   }
// CHECK:        vinyl::join_handle worker_;
// CHECK:        Pump(int fd, std::string word) : fd_(fd), word_(std::move(word)), worker_(vinyl::spawn(&Pump::run, this)) {}
// CHECK-NEXT:   vinyl::task<void> stop() { co_await worker_.join(); }
// CHECK:        vinyl::join_handle worker_;
// CHECK:        explicit Keeper(int fd) : fd_(fd) {
// CHECK-NEXT:     worker_ = std::thread([this] { say(); });
// CHECK-NEXT:   }
// CHECK-NEXT:   std::thread &thread() { return worker_; }
// CHECK:        std::thread worker_;

// WARN:      a.cpp:12:3: warning: destructor 'Ticker::~Ticker' reaches blocking I/O but cannot become a coroutine
// WARN-NEXT: a.cpp:14:15: note: 'Ticker::~Ticker' joins a thread that runs 'lambda in Ticker::Ticker()' here
// WARN:      a.cpp:53:27: warning: the lambda in Keeper::Keeper() reaches blocking I/O but cannot become a coroutine
// WARN-NEXT: a.cpp:53:5: note: its closure is passed on here: it runs in a thread kept in 'Keeper::worker_', which stays a thread: 'worker_' is used at line 55 other than by calling join(), detach(), joinable() or assigning it a new thread

// OUT:      tick 0
// OUT-NEXT: tick 1
// OUT-NEXT: tick 2
// OUT-NEXT: pump water
// OUT-NEXT: kept

//--- a.cpp
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

// A worker started in the constructor's body and joined in the destructor.
class Ticker {
public:
  explicit Ticker(int fd) : fd_(fd) {
    worker_ = std::thread([this] { run(); });
  }
  ~Ticker() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run() {
    for (int i = 0; i < 3; ++i) {
      std::string line = "tick " + std::to_string(i) + "\n";
      ::write(fd_, line.data(), line.size());
    }
    ::close(fd_);
  }

  int fd_;
  std::thread worker_;
};

// A worker started by a member initializer, joined by a member function.
class Pump {
public:
  Pump(int fd, std::string word) : fd_(fd), word_(std::move(word)), worker_(&Pump::run, this) {}
  void stop() { worker_.join(); }

private:
  void run() {
    std::string line = "pump " + word_ + "\n";
    ::write(fd_, line.data(), line.size());
    ::close(fd_);
  }

  int fd_;
  std::string word_;
  std::thread worker_;
};

// A worker handed out by reference: a handle is not a std::thread, so this
// one stays a thread (its lambda keeps calling the facade).
class Keeper {
public:
  explicit Keeper(int fd) : fd_(fd) {
    worker_ = std::thread([this] { say(); });
  }
  std::thread &thread() { return worker_; }

private:
  void say() {
    ::write(fd_, "kept\n", 5);
    ::close(fd_);
  }

  int fd_;
  std::thread worker_;
};

static void drain(int fd) {
  char buf[64];
  long got;
  while ((got = ::read(fd, buf, sizeof buf)) > 0)
    std::fwrite(buf, 1, got, stdout);
  ::close(fd);
}

int main() {
  int p[2], q[2], k[2];
  if (::pipe(p) != 0 || ::pipe(q) != 0 || ::pipe(k) != 0)
    return 1;
  {
    Ticker t(p[1]);
    drain(p[0]);
  }
  Pump pump(q[1], "water");
  drain(q[0]);
  pump.stop();
  Keeper keeper(k[1]);
  drain(k[0]);
  keeper.thread().join();
  std::fflush(stdout);
}
