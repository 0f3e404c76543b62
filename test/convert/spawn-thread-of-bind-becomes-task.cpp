// A thread that runs a std::bind or std::bind_front of a function of the
// paths, `std::thread{std::bind(&session, fd, std::move(g), 1)}.detach()`,
// becomes a spawn of that function with the bound arguments, detached,
// joined or as a member function as the thread was. A function taking a
// bound copy by `int &`, which std::bind passes as an lvalue, gets the
// task's copy the same way (vinyl::spawn passes lvalues where rvalues do not
// bind). The converted program prints the same in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t
// RUN: cp %t/a.cpp %t/once.cpp && %vinyl %t && diff %t/once.cpp %t/a.cpp

// CHECK:      static vinyl::task<void> session(int fd, std::string greeting, int n) {
// CHECK:      static vinyl::task<void> counted(int &tally, int fd) {
// CHECK:        void start(int fd) { vinyl::spawn(&Server::serve, this, fd, 7); }
// CHECK:        vinyl::spawn(&session, fds[0], std::move(g), 1);
// CHECK-NEXT:   vinyl::spawn(session, fds[1], std::string("front"), 2);
// CHECK-NEXT:   auto t = vinyl::spawn(session, fds[2], std::string("joined"), 3);
// CHECK-NEXT:   co_await t.join();
// CHECK-NEXT:   int tally = 3;
// CHECK-NEXT:   auto u = vinyl::spawn(counted, tally, fds[3]);
// CHECK-NEXT:   co_await u.join();

// OUT:      bound 1
// OUT-NEXT: front 2
// OUT-NEXT: joined 3
// OUT-NEXT: counted 4
// OUT-NEXT: member 7

//--- a.cpp
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>

static void session(int fd, std::string greeting, int n) {
  std::string line = greeting + " " + std::to_string(n) + "\n";
  ::write(fd, line.data(), line.size());
  ::close(fd);
}

// std::bind passes its copy of `tally` as an lvalue, which the task's
// function gets too: it counts on its own copy.
static void counted(int &tally, int fd) {
  ++tally;
  std::string line = "counted " + std::to_string(tally) + "\n";
  ::write(fd, line.data(), line.size());
  ::close(fd);
}

struct Server {
  std::string name = "member";
  void serve(int fd, int n) {
    std::string line = name + " " + std::to_string(n) + "\n";
    ::write(fd, line.data(), line.size());
    ::close(fd);
  }
  void start(int fd) { std::thread{std::bind(&Server::serve, this, fd, 7)}.detach(); }
};

static void start_all(const int *fds) {
  std::string g = "bound";
  std::thread{std::bind(&session, fds[0], std::move(g), 1)}.detach();
  std::thread(std::bind_front(session, fds[1], std::string("front")), 2).detach();
  std::thread t(std::bind(session, fds[2], std::string("joined"), 3));
  t.join();
  int tally = 3;
  std::thread u(std::bind(counted, tally, fds[3]));
  u.join();
}

int main() {
  int r[5], w[5];
  for (int i = 0; i < 5; ++i) {
    int p[2];
    if (::pipe(p) != 0)
      return 1;
    r[i] = p[0];
    w[i] = p[1];
  }
  start_all(w);
  Server s;
  s.start(w[4]);
  for (int i = 0; i < 5; ++i) {
    char buf[64];
    long got = ::read(r[i], buf, sizeof buf);
    if (got > 0)
      std::fwrite(buf, 1, got, stdout);
  }
  std::fflush(stdout);
}
