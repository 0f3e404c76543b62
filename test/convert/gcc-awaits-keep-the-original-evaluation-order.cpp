// g++ 12 evaluates the co_awaits of a full-expression before the rest of
// it: `os << note(3) << co_await fetch(4)` ran fetch before note, though
// C++17 orders <<, and `note(1) + co_await fetch(2)` ran it before the
// note g++ evaluated first in the original. For a g++ target, such a
// statement is rearranged: each operand with side effects, up to the last
// call that may be awaited, goes first into a variable, in the order the
// original evaluated them (arguments right to left, as g++ does), in a
// declaration, an expression statement, a return, an if's condition and
// a while loop's condition. Where g++ keeps the order (the awaits alone,
// scalar and left to right; the right of an assignment first), the
// statement stays as written, and so does every statement for clang++.
// Each build prints the trace of its own original, in both modes.
// RUN: rm -rf %t && split-file %s %t && cp -r %t/src %t/clang
// RUN: %mkdb %t/src a.cpp && %mkdb --compiler clang++-22 %t/clang a.cpp
// RUN: %build-both %t/orig %t/src/a.cpp
// RUN: %t/orig.gcc > %t/orig-gcc.out && %t/orig.clang > %t/orig-clang.out
// RUN: not diff %t/orig-gcc.out %t/orig-clang.out > /dev/null
// RUN: %vinyl %t/src
// RUN: FileCheck %s --match-full-lines --input-file=%t/src/a.cpp
// RUN: %build-both %t/conv %t/src/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig-gcc.out %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig-gcc.out %t/gcc-async.out
// RUN: %t/conv.clang > /dev/null
// RUN: %vinyl %t/clang
// RUN: FileCheck %s --check-prefix=CLANG --match-full-lines --input-file=%t/clang/a.cpp
// RUN: %clangxx %cxxflags -pthread -o %t/conv-clang %t/clang/a.cpp
// RUN: %t/conv-clang > %t/clang.out && diff %t/orig-clang.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv-clang > %t/clang-async.out && diff %t/orig-clang.out %t/clang-async.out
// RUN: %vinyl --check %t/src

// CHECK:      static vinyl::task<int> run_async() {
// CHECK-NEXT:   decltype(auto) vinyl_o37_1 = note(1); decltype(auto) vinyl_o37_2 = co_await fetch(2); int r = static_cast<decltype(vinyl_o37_1) &&>(vinyl_o37_1) + static_cast<decltype(vinyl_o37_2) &&>(vinyl_o37_2);
// CHECK-NEXT:   std::ostringstream os;
// CHECK-NEXT:   { decltype(auto) vinyl_o39_1 = note(3); decltype(auto) vinyl_o39_2 = os << static_cast<decltype(vinyl_o39_1) &&>(vinyl_o39_1); decltype(auto) vinyl_o39_3 = co_await fetch(4); static_cast<decltype(vinyl_o39_2) &&>(vinyl_o39_2) << static_cast<decltype(vinyl_o39_3) &&>(vinyl_o39_3); }
// CHECK-NEXT:   { decltype(auto) vinyl_o40_1 = pick(5); decltype(auto) vinyl_o40_2 = co_await fetch(6); static_cast<decltype(vinyl_o40_1) &&>(vinyl_o40_1).send(static_cast<decltype(vinyl_o40_2) &&>(vinyl_o40_2)); }
// CHECK-NEXT:   { decltype(auto) vinyl_o41_1 = note(8); decltype(auto) vinyl_o41_2 = co_await fetch(7); decltype(auto) vinyl_o41_3 = pair(static_cast<decltype(vinyl_o41_2) &&>(vinyl_o41_2), static_cast<decltype(vinyl_o41_1) &&>(vinyl_o41_1)); r += static_cast<decltype(vinyl_o41_3) &&>(vinyl_o41_3); }
// CHECK-NEXT:   int v[4] = {};
// CHECK-NEXT:   v[note(1)] = co_await fetch(2);
// CHECK-NEXT:   r += co_await fetch(9) * note(10);
// CHECK-NEXT:   r += co_await fetch(11) + co_await fetch(12);
// CHECK-NEXT:   co_return r + v[1] + conn.sent + static_cast<int>(os.str().size());
// CHECK-NEXT: }

// CHECK:      static vinyl::task<int> last_async(int k) { { decltype(auto) vinyl_o49_1 = note(k); decltype(auto) vinyl_o49_2 = co_await fetch(k + 1); co_return static_cast<decltype(vinyl_o49_1) &&>(vinyl_o49_1) * static_cast<decltype(vinyl_o49_2) &&>(vinyl_o49_2); } }

// CHECK:      static vinyl::task<int> choose_async(int k) {
// CHECK:        { decltype(auto) vinyl_o52_1 = note(k); decltype(auto) vinyl_o52_2 = co_await fetch(k); if (static_cast<decltype(vinyl_o52_1) &&>(vinyl_o52_1) == static_cast<decltype(vinyl_o52_2) &&>(vinyl_o52_2))
// CHECK-NEXT:     co_return 1;
// CHECK-NEXT:   else { decltype(auto) vinyl_o54_1 = note(k + 1); decltype(auto) vinyl_o54_2 = co_await fetch(k + 2); if (static_cast<decltype(vinyl_o54_1) &&>(vinyl_o54_1) < static_cast<decltype(vinyl_o54_2) &&>(vinyl_o54_2))
// CHECK-NEXT:     co_return 2; } }

// CHECK:        while (true) { decltype(auto) vinyl_o61_1 = note(i); decltype(auto) vinyl_o61_2 = co_await fetch(3); if (!(static_cast<decltype(vinyl_o61_1) &&>(vinyl_o61_1) < static_cast<decltype(vinyl_o61_2) &&>(vinyl_o61_2))) break; {
// CHECK-NEXT:     ++i;
// CHECK:        } }
// CHECK-NEXT:   while (true) { decltype(auto) vinyl_o67_1 = note(10); decltype(auto) vinyl_o67_2 = i++; decltype(auto) vinyl_o67_3 = co_await fetch(static_cast<decltype(vinyl_o67_2) &&>(vinyl_o67_2)); if (!(static_cast<decltype(vinyl_o67_1) &&>(vinyl_o67_1) > static_cast<decltype(vinyl_o67_3) &&>(vinyl_o67_3))) break; sum += 1; }

// CHECK:        for (int i = 0; ; ++i) { decltype(auto) vinyl_o74_1 = note(i); decltype(auto) vinyl_o74_2 = co_await fetch(3); if (!(static_cast<decltype(vinyl_o74_1) &&>(vinyl_o74_1) < static_cast<decltype(vinyl_o74_2) &&>(vinyl_o74_2))) break; {
// CHECK:        for (bool vinyl_again_80 = false;; vinyl_again_80 = true) { if (vinyl_again_80) { decltype(auto) vinyl_o80_1 = note(i); decltype(auto) vinyl_o80_2 = co_await fetch(3); if (!(static_cast<decltype(vinyl_o80_1) &&>(vinyl_o80_1) < static_cast<decltype(vinyl_o80_2) &&>(vinyl_o80_2))) break; } {
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   } }

// CLANG:        int r = note(1) + co_await fetch(2);
// CLANG-NEXT:   std::ostringstream os;
// CLANG-NEXT:   os << note(3) << co_await fetch(4);
// CLANG-NOT:    vinyl_o

//--- src/.vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- src/a.cpp
#include <cstdio>
#include <sstream>
#include <string>
#include <unistd.h>

static std::string trace;

// Synchronous, with an effect the trace shows.
static int note(int k) {
  trace += "n" + std::to_string(k) + " ";
  return k;
}

// Reaches I/O: becomes a coroutine.
static int fetch(int k) {
  (void)!::write(2, "", 0);
  trace += "f" + std::to_string(k) + " ";
  return k;
}

static int pair(int a, int b) { return a * 10 + b; }

struct Conn {
  int sent = 0;
  Conn &send(int v) {
    sent += v;
    return *this;
  }
};
static Conn conn;
static Conn &pick(int k) {
  note(k);
  return conn;
}

static int run() {
  int r = note(1) + fetch(2);
  std::ostringstream os;
  os << note(3) << fetch(4);
  pick(5).send(fetch(6));
  r += pair(fetch(7), note(8));
  int v[4] = {};
  v[note(1)] = fetch(2);
  r += fetch(9) * note(10);
  r += fetch(11) + fetch(12);
  return r + v[1] + conn.sent + static_cast<int>(os.str().size());
}

static int last(int k) { return note(k) * fetch(k + 1); }

static int choose(int k) {
  if (note(k) == fetch(k))
    return 1;
  else if (note(k + 1) < fetch(k + 2))
    return 2;
  return 3;
}

static int loop() {
  int i = 0, sum = 0;
  while (note(i) < fetch(3)) {
    ++i;
    if (i == 2)
      continue;
    sum += i;
  }
  while (note(10) > fetch(i++))
    sum += 1;
  return sum;
}

static int counted() {
  int sum = 0;
  for (int i = 0; note(i) < fetch(3); ++i) {
    if (i == 1)
      continue;
    sum += i;
  }
  int i = 0;
  do {
    ++i;
  } while (note(i) < fetch(3));
  return sum + i;
}

int main() {
  int r = run();
  r += last(3);
  r += choose(5);
  r += loop();
  r += counted();
  std::printf("%s= %d\n", trace.c_str(), r);
}
