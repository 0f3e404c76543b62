// A lambda stored as a callback type (`callback_types` in .vinyl.yaml)
// joins the type's family like a named function: a capturing lambda passed
// as a std::function alias and a captureless lambda converted to a
// function-pointer alias reach I/O, so the aliases' results become tasks,
// the lambdas become coroutine lambdas with `-> vinyl::task<R>`, and the
// lambdas of the same alias that do no I/O become ones too (`co_return;`
// added before the '}' of a one-line body, on a line of its own indented
// like the body otherwise). Calls through the aliases are awaited, or wait
// with block_on in main. The converted program prints the same with both
// compilers in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
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

// CHECK:      typedef std::function<vinyl::task<void>(const char *)> Printer;
// CHECK-NEXT: using Handler = vinyl::task<int> (*)(int fd, const char *);
// CHECK:      static vinyl::task<void> announce_async(Printer p) { co_await p("announce\n"); }
// CHECK:      static vinyl::task<int> call_handler_async(Handler h, int fd) { co_return co_await h(fd, "handler\n"); }
// CHECK:      static vinyl::task<void> shout_async(const Printer &p) { co_await p("shout\n"); }
// CHECK:        announce([fd, prefix](const char *s) -> vinyl::task<void> {
// CHECK-NEXT:     std::string line = prefix + s;
// CHECK-NEXT:     co_await vinyl::io::write(fd, line.data(), line.size());
// CHECK:        Printer quiet = [](const char *s) -> vinyl::task<void> { (void)s; co_return; };
// CHECK-NEXT:   vinyl::block_on(quiet("nothing"));
// CHECK-NEXT:   shout(quiet);
// CHECK-NEXT:   Printer later = [](const char *s) -> vinyl::task<void> {
// CHECK-NEXT:     (void)s;
// CHECK-NEXT:     co_return;
// CHECK-NEXT:   };
// CHECK-NEXT:   vinyl::block_on(later("nothing"));
// CHECK-NEXT:   Handler h = [](int out, const char *s) -> vinyl::task<int> { co_return int(co_await vinyl::io::write(out, s, std::strlen(s))); };

// OUT:      > announce
// OUT-NEXT: handler
// OUT-NEXT: 8

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
callback_types: ["Printer", "Handler"]
//--- a.cpp
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <unistd.h>

typedef std::function<void(const char *)> Printer;
using Handler = int (*)(int fd, const char *);

static void announce(Printer p) { p("announce\n"); }

static int call_handler(Handler h, int fd) { return h(fd, "handler\n"); }

static void shout(const Printer &p) { p("shout\n"); }

int main() {
  int fd = 1;
  std::string prefix = "> ";
  announce([fd, prefix](const char *s) {
    std::string line = prefix + s;
    ::write(fd, line.data(), line.size());
  });
  Printer quiet = [](const char *s) { (void)s; };
  quiet("nothing");
  shout(quiet);
  Printer later = [](const char *s) {
    (void)s;
  };
  later("nothing");
  Handler h = [](int out, const char *s) { return int(::write(out, s, std::strlen(s))); };
  int n = call_handler(h, fd);
  std::printf("%d\n", n);
}
