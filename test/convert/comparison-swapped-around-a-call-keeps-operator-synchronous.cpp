// `limit(end) != c` is C++20's `!(c == limit(end))`: the operands are
// swapped, which an await can only write out for operands without calls
// (their edits would move with them). The operator== it calls stays
// synchronous, with a located [vinyl-blocking-fallback] warning whose note
// says why and what to write instead, and the program converts. The same
// holds for a range-for over an iterator with only operator== (its
// `!=` is rewritten too, and a range-for cannot await it). Both compilers,
// both modes, print what the original printed; a second run writes
// nothing, and --check says the same warnings.
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

// CHECK:      bool operator==(int end) const {
// CHECK-NEXT:     (void)!vinyl::block_on(vinyl::io::write(fd, "", 0));
// CHECK:      static int walk(Cursor &c, int end) {
// CHECK-NEXT:   int steps = 0;
// CHECK-NEXT:   while (limit(end) != c) {
// CHECK:      bool operator==(const It &o) const {
// CHECK-NEXT:       (void)!vinyl::block_on(vinyl::io::write(1, "", 0));

// WARN: a.cpp:7:8: warning: operator 'Cursor::operator==' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:17:21: note: C++20 calls it here for `!=` with the operands swapped, which an await can only write out for operands that make no call; write them the other way round
// WARN: a.cpp:30:10: warning: operator 'Lines::It::operator==' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:41:14: note: a range-for calls it here for its iteration, which cannot await

// AGAIN: a.cpp:8:8: warning: operator 'Cursor::operator==' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// AGAIN: a.cpp:31:10: warning: operator 'Lines::It::operator==' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// AGAIN: 2 problems found (warnings)

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct Cursor {
  int fd = 1;
  int pos = 0;
  bool operator==(int end) const {
    (void)!::write(fd, "", 0);
    return pos == end;
  }
};

static int limit(int n) { return n; }

static int walk(Cursor &c, int end) {
  int steps = 0;
  while (limit(end) != c) {
    ++c.pos;
    ++steps;
  }
  return steps;
}

// An input range whose iterator asks the peer to find the end.
struct Lines {
  struct It {
    int left;
    int operator*() const { return left; }
    It &operator++() { --left; return *this; }
    bool operator==(const It &o) const {
      (void)!::write(1, "", 0);
      return left == o.left;
    }
  };
  It begin() const { return {3}; }
  It end() const { return {0}; }
};

static int sum() {
  int s = 0;
  for (int v : Lines{})
    s += v;
  return s;
}

int main() {
  Cursor c;
  std::printf("%d %d\n", walk(c, 3), sum());
}
