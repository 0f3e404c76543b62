// A member thread started in one unit (the constructor in ticker_start.cpp)
// and joined in another (the destructor and stop() in ticker_stop.cpp,
// which starts none of its threads): the join learns what the thread runs
// from the unit that starts it, so the member becomes a handle, its start a
// spawn, and every join is awaited or waited for in place. The converted
// program prints the same in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t main.cpp ticker_start.cpp ticker_stop.cpp
// RUN: %build-both %t/orig %t/main.cpp %t/ticker_start.cpp %t/ticker_stop.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines --input-file=%t/ticker.h
// RUN: FileCheck %s --check-prefix=START --match-full-lines --input-file=%t/ticker_start.cpp
// RUN: FileCheck %s --check-prefix=STOP --match-full-lines --input-file=%t/ticker_stop.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: %build-both %t/conv %t/main.cpp %t/ticker_start.cpp %t/ticker_stop.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out

// HEADER:      vinyl::join_handle worker_;
// START:       Ticker::Ticker(int fd) : fd_(fd) { worker_ = vinyl::spawn(&Ticker::run, this); }
// STOP:        Ticker::~Ticker() {
// STOP-NEXT:     if (worker_.joinable())
// STOP-NEXT:       vinyl::block_on(worker_.join());
// STOP-NEXT:   }
// STOP:        vinyl::task<void> Ticker::stop_async() { co_await worker_.join(); }

// WARN:      ticker.h:8:3: warning: destructor 'Ticker::~Ticker' reaches blocking I/O but cannot become a coroutine
// WARN-NEXT: ticker_stop.cpp:5:13: note: 'Ticker::~Ticker' joins a thread that runs 'Ticker::run' here

// OUT:      tick 0
// OUT-NEXT: tick 1
// OUT-NEXT: tick 2
// OUT-NEXT: stopped

//--- ticker.h
#pragma once
#include <thread>

// Started in ticker_start.cpp, joined in ticker_stop.cpp.
class Ticker {
public:
  explicit Ticker(int fd);
  ~Ticker();
  void stop();

private:
  void run();

  int fd_;
  std::thread worker_;
};
//--- ticker_start.cpp
#include "ticker.h"

#include <string>
#include <unistd.h>

Ticker::Ticker(int fd) : fd_(fd) { worker_ = std::thread(&Ticker::run, this); }

void Ticker::run() {
  for (int i = 0; i < 3; ++i) {
    std::string line = "tick " + std::to_string(i) + "\n";
    ::write(fd_, line.data(), line.size());
  }
  ::close(fd_);
}
//--- ticker_stop.cpp
#include "ticker.h"

Ticker::~Ticker() {
  if (worker_.joinable())
    worker_.join();
}

void Ticker::stop() { worker_.join(); }
//--- main.cpp
#include "ticker.h"

#include <cstdio>
#include <unistd.h>

static void drain(int fd) {
  char buf[64];
  long got;
  while ((got = ::read(fd, buf, sizeof buf)) > 0)
    std::fwrite(buf, 1, got, stdout);
  ::close(fd);
}

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  Ticker t(p[1]);
  drain(p[0]);
  t.stop();
  std::puts("stopped");
}
