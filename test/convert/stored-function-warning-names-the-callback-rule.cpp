// A function that reaches I/O stored in a `std::function` whose signature
// is a function type alias (`std::function<net::poll::callback>`, the
// shape a PostgreSQL client uses) forms no automatic family: the function
// keeps its blocking facade, and the warning names the type and the rule
// that would convert it. With that rule (`callback_types:
// [net::poll::callback]`) the alias, the function and the calls through
// it convert together. Both programs print what the original printed, in
// both modes.
// RUN: rm -rf %t && split-file %s %t && cp -r %t/src %t/ruled && cp %t/rule.yaml %t/ruled/.vinyl.yaml
// RUN: %mkdb %t/src a.cpp && %mkdb %t/ruled a.cpp
// RUN: %build-both %t/orig %t/src/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/expected
// RUN: %vinyl %t/src 2> %t/warnings
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/warnings
// RUN: %build-both %t/conv %t/src/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: %vinyl %t/ruled
// RUN: FileCheck %s --match-full-lines --input-file=%t/ruled/poll.h
// RUN: %build-both %t/ruled-conv %t/ruled/a.cpp -pthread
// RUN: %t/ruled-conv.gcc < %t/input > %t/ruled-gcc.out && diff %t/expected %t/ruled-gcc.out
// RUN: env VINYL_IO=async %t/ruled-conv.clang < %t/input > %t/ruled-clang-async.out && diff %t/expected %t/ruled-clang-async.out

// WARN: a.cpp:9:47: warning: the address of 'wait_fd' is taken here, and it reaches blocking I/O: {{.*}} (its type 'std::function<net::poll::callback>' forms no callback family; `callback_types: [net::poll::callback]` in .vinyl.yaml would convert it with the functions stored in it) [vinyl-blocking-fallback]
// WARN: a.cpp:15:7: warning: the address of 'wait_fd' is taken here, {{.*}}`callback_types: [net::poll::callback]`{{.*}}

// CHECK: using callback = vinyl::task<int>(int fd);

//--- input
xy
//--- rule.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
callback_types: [net::poll::callback]
//--- src/.vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- src/poll.h
#pragma once
#include <functional>
namespace net::poll {
using callback = int(int fd);
}
//--- src/a.cpp
#include "poll.h"
#include <cstdio>
#include <unistd.h>
static int wait_fd(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
struct Conn {
  std::function<net::poll::callback> poller = wait_fd;
  int get() { return poller(0); }
};
int main() {
  Conn c;
  std::function<net::poll::callback> p;
  p = wait_fd;
  int a = c.get();
  std::printf("%d %d\n", a, p(0));
}
