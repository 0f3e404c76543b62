// An operator-> that does I/O (a handle that connects on first use):
// `p->send(v)` calls it and uses its result in one step, so nothing can
// await it. It stays synchronous with a located [vinyl-blocking-fallback]
// warning (its leaf waits with block_on), each call of it inside a
// coroutine is warned about, and the rest converts: `send`, which the
// result's pointer reaches, is awaited. Both compilers, both modes, print
// what the original printed; a second run writes nothing and --check says
// the same warnings.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/expected
// RUN: %vinyl %t 2> %t/warnings
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/warnings
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: cp %t/a.cpp %t.first.cpp && %vinyl %t 2> /dev/null && diff %t.first.cpp %t/a.cpp
// RUN: %vinyl --check %t 2> %t/check || true
// RUN: FileCheck %s --check-prefix=AGAIN --input-file=%t/check

// CHECK:      Conn *operator->() {
// CHECK-NEXT:     if (c_.fd < 0) {
// CHECK-NEXT:       (void)!vinyl::block_on(vinyl::io::write(1, "", 0));
// CHECK:      static vinyl::task<int> twice_async(int v) {
// CHECK-NEXT:   co_await lazy->send(v);
// CHECK-NEXT:   co_return co_await lazy->send(v);
// CHECK-NEXT: }

// WARN: a.cpp:17:9: warning: operator 'Lazy::operator->' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// WARN: a.cpp:32:3: warning: calling 'Lazy::operator->' here, inside the coroutine 'twice', waits for its I/O{{.*}} [vinyl-blocking-fallback]

// AGAIN: a.cpp:18:9: warning: operator 'Lazy::operator->' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// AGAIN: a.cpp:33:12: warning: calling 'Lazy::operator->' here, inside the coroutine 'twice_async', waits for its I/O{{.*}} [vinyl-blocking-fallback]
// AGAIN: 3 problems found (warnings)

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct Conn {
  int fd = -1;
  int sent = 0;
  int send(int v) {
    (void)!::write(fd, "", 0);
    sent += v;
    return sent;
  }
};

// Connects on first use, through ->.
class Lazy {
public:
  Conn *operator->() {
    if (c_.fd < 0) {
      (void)!::write(1, "", 0);
      c_.fd = 1;
    }
    return &c_;
  }

private:
  Conn c_;
};

static Lazy lazy;

static int twice(int v) {
  lazy->send(v);
  return lazy->send(v);
}

int main() { std::printf("%d\n", twice(3)); }
