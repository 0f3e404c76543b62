// A call a function template makes through its template parameter
// (`sink.put(...)`) is dependent in the pattern; the tool follows it in
// each instantiation: send_all<Pipe> calls Pipe::put, which reaches I/O, so
// the pattern becomes a coroutine with the call awaited, and main keeps
// calling send_all through a template facade. The converted program prints
// the same with both compilers in blocking and async mode.
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

// CHECK:      template <class Sink> vinyl::task<long> send_all_async(Sink &sink, const char *s, long n) {
// CHECK-NEXT:   long done = 0;
// CHECK-NEXT:   while (done < n) {
// CHECK-NEXT:     long got = co_await sink.put(s + done, n - done);
// CHECK:      template <class Sink> long send_all(Sink &sink, const char *s, long n) {
// CHECK-NEXT:   return vinyl::block_on(send_all_async(sink, s, n));
// CHECK-NEXT: }

// OUT:      hello
// OUT-NEXT: sent 6

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
  Pipe p{1};
  long sent = send_all(p, "hello\n", 6);
  std::printf("sent %ld\n", sent);
}
