// One call in a template's text that resolves to different functions in
// different instantiations must be awaited in all of them or in none, so
// its callees convert together, as an override family does:
// send_all<Pipe> calls Pipe::put, which reaches write(2), and
// send_all<Counter> calls Counter::put, which does no I/O; both become
// coroutines, the call is awaited once, and --explain says why
// Counter::put is async. The converted program prints the same with both
// compilers in blocking and async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: not %vinyl --check --explain Counter::put %t > %t.explain
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t.explain
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// EXPLAIN:      Counter::put (a.cpp:11:8) is async: 1 path to blocking I/O
// EXPLAIN-NEXT: `- is called by the same template code as Pipe::put, in another instantiation (the call at a.cpp:20)
// EXPLAIN-NEXT:    `- calls write at a.cpp:6:44  [I/O leaf]

// CHECK:      struct Pipe {
// CHECK-NEXT:   int fd;
// CHECK-NEXT:   vinyl::task<long> put(const char *s, long n) { co_return co_await vinyl::io::write(fd, s, n); }
// CHECK:      struct Counter {
// CHECK-NEXT:   long total = 0;
// CHECK-NEXT:   vinyl::task<long> put(const char *, long n) {
// CHECK-NEXT:     total += n;
// CHECK-NEXT:     co_return n;
// CHECK:      template <class Sink> vinyl::task<long> send_all_async(Sink &sink, const char *s, long n) {
// CHECK-NEXT:   long done = 0;
// CHECK-NEXT:   while (done < n) {
// CHECK-NEXT:     long got = co_await sink.put(s + done, n - done);
// CHECK:      template <class Sink> long send_all(Sink &sink, const char *s, long n) {
// CHECK-NEXT:   return vinyl::block_on(send_all_async(sink, s, n));

// OUT:      hello
// OUT-NEXT: counted 6

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct Pipe {
  int fd;
  long put(const char *s, long n) { return ::write(fd, s, n); }
};

struct Counter {
  long total = 0;
  long put(const char *, long n) {
    total += n;
    return n;
  }
};

template <class Sink> long send_all(Sink &sink, const char *s, long n) {
  long done = 0;
  while (done < n) {
    long got = sink.put(s + done, n - done);
    if (got <= 0)
      return -1;
    done += got;
  }
  return done;
}

int main() {
  Pipe out{1};
  Counter count;
  send_all(out, "hello\n", 6);
  send_all(count, "hello\n", 6);
  std::printf("counted %ld\n", count.total);
}
