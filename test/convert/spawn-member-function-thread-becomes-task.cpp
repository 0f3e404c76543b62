// A thread that runs a member function (`std::thread(&Greeter::greet,
// shared_from_this(), fd, 99).detach()`, `std::thread last(&Greeter::greet,
// this, ...)`, `workers.emplace_back(&Greeter::greet_all, this, ...)`)
// becomes a spawned task of the member's coroutine, as a free function's
// thread does: vinyl::spawn calls it on the next argument (a pointer or a
// smart pointer), and where the member keeps a facade the spawn names its
// coroutine (&Greeter::greet_async). The converted program prints the same
// with both compilers in blocking and async mode, and is at the fixpoint.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t main.cpp server.cpp
// RUN: %build-both %t/orig %t/main.cpp %t/server.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/server.cpp
// RUN: %build-both %t/conv %t/main.cpp %t/server.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      void Greeter::start_detached(int fd) {
// CHECK-NEXT:   vinyl::spawn(&Greeter::greet_async, shared_from_this(), fd, 99);
// CHECK-NEXT: }
// CHECK:      vinyl::task<void> Greeter::run_pool_async(const int *fds, int n) {
// CHECK-NEXT:   std::vector<vinyl::join_handle> workers;
// CHECK-NEXT:   for (int i = 0; i < n; ++i)
// CHECK-NEXT:     workers.emplace_back(vinyl::spawn(&Greeter::greet_all, this, fds[i], i + 1));
// CHECK-NEXT:   auto last = vinyl::spawn(&Greeter::greet_async, this, fds[n], 7);
// CHECK-NEXT:   for (auto &t : workers)
// CHECK-NEXT:     co_await t.join();
// CHECK-NEXT:   co_await last.join();
// CHECK-NEXT: }

// OUT:      hi 0
// OUT-NEXT: hi 0
// OUT-NEXT: hi 1
// OUT-NEXT: hi 7
// OUT-NEXT: hi 99

//--- server.h
#pragma once
#include <memory>
#include <string>
#include <thread>
#include <vector>

class Greeter : public std::enable_shared_from_this<Greeter> {
public:
  explicit Greeter(std::string name) : name_(std::move(name)) {}
  void greet(int fd, int n);
  void start_detached(int fd);
  void run_pool(const int *fds, int n);

private:
  void greet_all(int fd, int n);
  std::string name_;
};
//--- server.cpp
#include "server.h"
#include <unistd.h>

void Greeter::greet(int fd, int n) {
  std::string line = name_ + " " + std::to_string(n) + "\n";
  ::write(fd, line.data(), line.size());
}

void Greeter::greet_all(int fd, int n) {
  for (int i = 0; i < n; ++i)
    greet(fd, i);
}

void Greeter::start_detached(int fd) {
  std::thread(&Greeter::greet, shared_from_this(), fd, 99).detach();
}

void Greeter::run_pool(const int *fds, int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(&Greeter::greet_all, this, fds[i], i + 1);
  std::thread last(&Greeter::greet, this, fds[n], 7);
  for (auto &t : workers)
    t.join();
  last.join();
}
//--- main.cpp
#include "server.h"
#include <cstdio>
#include <unistd.h>

int main() {
  int fds[4][2];
  for (auto &p : fds)
    if (::pipe(p) != 0)
      return 1;
  auto g = std::make_shared<Greeter>("hi");
  int w[3] = {fds[0][1], fds[1][1], fds[2][1]};
  g->run_pool(w, 2);
  g->start_detached(fds[3][1]);
  // A read waits for the detached thread's line: the pipe stays open.
  for (auto &p : fds) {
    char buf[256];
    long got = ::read(p[0], buf, sizeof buf);
    if (got > 0)
      std::fwrite(buf, 1, got, stdout);
  }
}
