// A constructor that reaches I/O cannot become a coroutine: it stays
// synchronous and calls the blocking facade of its callee, with one warning
// at the constructor that explains the chain down to the leaf. The
// conversion lands (exit 0), and the program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out

// WARN:      a.cpp:15:12: warning: constructor 'Conn::Conn' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:15:33: note: 'Conn::Conn' calls 'handshake' here
// WARN-NEXT: a.cpp:11:10: note: 'handshake' calls 'get' here
// WARN-NEXT: a.cpp:6:3: note: 'get' calls 'read' here
// WARN-NEXT: converted {{.*}}a.cpp

// CHECK:      static int handshake(int fd) {
// CHECK-NEXT:   return vinyl::block_on(handshake_async(fd));
// CHECK-NEXT: }
// CHECK:        explicit Conn(int fd) : first(handshake(fd)) {}

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
AB
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

static int handshake(int fd) {
  return get(fd) + 1;
}

struct Conn {
  explicit Conn(int fd) : first(handshake(fd)) {}
  int first;
};

int main() {
  int a = Conn(0).first;
  int b = handshake(0);
  std::printf("%d %d\n", a, b);
}
