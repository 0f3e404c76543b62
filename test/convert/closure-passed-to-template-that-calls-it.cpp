// A closure passed to a function template of the paths whose parameter is
// only ever called in its body (the EINTR retry wrapper every I/O path of
// an HTTP library goes through, a socket factory taking a connect
// callback) does not escape: the template's instantiation calls it, so the
// lambda, the template and its caller convert together, and the template
// awaits `fn()` (was: the lambda stayed synchronous with a
// [vinyl-blocking-fallback] warning, blocking the loop). A template that
// stores its parameter still counts as an escape. The program reads the
// same bytes with both compilers, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: FileCheck %s --check-prefix=OUT --input-file=%t/gcc.out

// CHECK:      template <typename T> inline vinyl::task<long> handle_EINTR(T fn) {
// CHECK-NEXT:   long res = 0;
// CHECK-NEXT:   while (true) {
// CHECK-NEXT:     res = co_await fn();
// CHECK:      vinyl::task<long> read_some_async(int sock, char *buf, unsigned long n) {
// CHECK-NEXT:   co_return co_await handle_EINTR([&]() -> vinyl::task<ssize_t> { co_return co_await vinyl::io::read(sock, buf, n); });
// CHECK:      template <typename F> vinyl::task<int> create_socket(int port, F fn) {
// CHECK:        co_return co_await create_socket(port, [&](int s) -> vinyl::task<bool> { char c; co_return co_await vinyl::io::read(s, &c, 1) == 1; });
// CHECK:      template <typename F> long keep(F fn) {
// CHECK-NEXT:   static std::function<long()> kept;

// WARN: a.cpp:[[#KEEP:]]:{{[0-9]+}}: warning: the lambda in kept_read() reaches blocking I/O but cannot become a coroutine
// WARN-NOT: handle_EINTR

// OUT: read 3, socket 0, kept 2

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdefg
//--- a.cpp
#include <cerrno>
#include <cstdio>
#include <functional>
#include <unistd.h>

template <typename T> inline long handle_EINTR(T fn) {
  long res = 0;
  while (true) {
    res = fn();
    if (res < 0 && errno == EINTR) continue;
    break;
  }
  return res;
}

long read_some(int sock, char *buf, unsigned long n) {
  return handle_EINTR([&]() { return ::read(sock, buf, n); });
}

template <typename F> int create_socket(int port, F fn) {
  int s = port;
  return fn(s) ? s : -1;
}

int connect_to(int port) {
  return create_socket(port, [&](int s) { char c; return ::read(s, &c, 1) == 1; });
}

template <typename F> long keep(F fn) {
  static std::function<long()> kept;
  kept = fn;
  return kept();
}

long kept_read(int fd) {
  return keep([=] { char c[2]; return ::read(fd, c, 2); });
}

int main() {
  char b[4];
  long n = read_some(0, b, 3);
  int s = connect_to(0);
  long k = kept_read(0);
  std::printf("read %ld, socket %d, kept %ld\n", n, s, k);
}
