// A thread that runs a function object of the paths (a temporary of a
// class with one call operator: `std::thread t(Drain{fd, &s})`,
// `std::thread(Say{fd}, word).detach()`) becomes a spawn of that object,
// whose operator() becomes a coroutine, as a lambda's would: the spawn
// keeps its copy of the object and the arguments alive until the task ends.
// The converted program prints the same in blocking and async mode.
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

// CHECK:        vinyl::task<void> operator()() const {
// CHECK:        vinyl::task<void> operator()(const std::string &word) const {
// CHECK:        auto t = vinyl::spawn(Drain{fd, &s});
// CHECK-NEXT:   co_await t.join();
// CHECK:        vinyl::spawn(Say{p[1]}, std::string("said\n"));

// OUT: said

//--- a.cpp
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

// A function object of the paths: what a thread runs on its own copy.
struct Drain {
  int fd;
  std::string *out;
  void operator()() const {
    char c;
    while (::read(fd, &c, 1) == 1)
      *out += c;
    ::close(fd);
  }
};

struct Say {
  int fd;
  void operator()(const std::string &word) const {
    ::write(fd, word.data(), word.size());
    ::close(fd);
  }
};

static std::string collect(int fd) {
  std::string s;
  std::thread t(Drain{fd, &s});
  t.join();
  return s;
}

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  std::thread(Say{p[1]}, std::string("said\n")).detach();
  std::string got = collect(p[0]);
  std::fwrite(got.data(), 1, got.size(), stdout);
}
