// A constructor that reaches I/O stays synchronous (a blocking fallback),
// and so does each place it runs: an RAII guard constructed inside a
// converted command makes the same blocking wait there. Each such
// construction inside a coroutine gets its own located
// [vinyl-blocking-fallback] warning; `blocking_fallback: error` refuses
// the constructor itself (unless constructors are allowed). The conversion lands, and the
// program writes the same in both modes.
// RUN: rm -rf %t %t.strict && split-file %s %t && %mkdb %t a.cpp && cp -r %t %t.strict && %mkdb %t.strict a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --input-file=%t/err
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/async.out && diff %t/orig.out %t/async.out
// RUN: printf 'facades:\n  blocking_fallback: error\n' > %t.strict/.vinyl.yaml
// RUN: not %vinyl %t.strict 2> %t/strict.err
// RUN: FileCheck %s --check-prefix=STRICT --input-file=%t/strict.err

// CHECK: a.cpp:7:12: warning: constructor 'Guard::Guard' reaches blocking I/O but cannot become a coroutine
// CHECK: a.cpp:11:9: warning: constructing a 'Guard' here, inside the coroutine 'command', waits for its I/O: it stays synchronous, and in async mode this waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:7:12: note: it stays synchronous (see the warning there)

// STRICT: a.cpp:7:12: error: constructor 'Guard::Guard' reaches blocking I/O but cannot become a coroutine{{.*}}(refused: facades: { blocking_fallback: error })
// STRICT-NOT: a.cpp:11:9

//--- a.cpp
#include <cstdio>
#include <unistd.h>

static long send_line(int fd) { return ::write(fd, "x\n", 2); }
struct Guard {
  int fd;
  explicit Guard(int f) : fd(f) { send_line(fd); }
};

long command(int fd) {
  Guard g(fd);
  return send_line(fd);
}

int main() { std::printf("%ld\n", command(1)); }
