// For g++ (the compile database's compiler here), a statement whose call
// to await sits in an operand that may be skipped (the right of && or ||,
// a branch of ?:) becomes an if around copies of the statement: g++ would
// evaluate the co_await even when the operand is skipped. Covers a return,
// an assignment, an argument, `||`, a chain of &&, a `for` condition and an
// unbraced `if` body. The program reads exactly the bytes the original
// reads (the count is printed), with both compilers, in both modes.
// RUN: rm -rf %t %t.split && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.split && %mkdb %t.split a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t
// The lowering goes through a facts file unchanged.
// RUN: %vinyl --extract-only %t.facts %t.split && %vinyl --facts %t.facts %t.split
// RUN: diff %t/a.cpp %t.split/a.cpp

// CHECK:      static vinyl::task<bool> start_async(int fd, bool want) {
// CHECK-NEXT:   {{\[\[}}maybe_unused]] bool vinyl_gcc12_frame = true; // g++ 12.2 miscompiles coroutines without locals
// CHECK-NEXT:   { if (want && co_await bind_ok(fd)) { co_return co_await listen_internal(fd); } else { co_return false; } } }
// CHECK:      static vinyl::task<int> expr_async(int fd, int v) {
// CHECK-NEXT:   {{\[\[}}maybe_unused]] bool vinyl_gcc12_frame = true; // g++ 12.2 miscompiles coroutines without locals
// CHECK-NEXT:   { if (co_await next_byte(fd) == '+') { v = v + co_await term(fd); } else { v = v - co_await term(fd); } }
// CHECK:      static vinyl::task<int> get_or_async(int fd) {
// CHECK-NEXT:   {{\[\[}}maybe_unused]] bool vinyl_gcc12_frame = true; // g++ 12.2 miscompiles coroutines without locals
// CHECK-NEXT:   { if (left-- > 0) { co_return co_await next_byte(fd); } else { co_return -1; } } }
// CHECK:      static vinyl::task<int> lines_async(int fd, int n) {
// CHECK-NEXT:   int i = 0;
// CHECK-NEXT:   for (i = 0; ; ++i) { if (!(i < n && co_await next_byte(fd) != 'q')) break;
// CHECK-NEXT:     ; }
// CHECK-NEXT:   while (true) { if (!(i < 100 and co_await next_byte(fd) == 'w')) break; ++i; }
// CHECK-NEXT:   if (i > 50)
// CHECK-NEXT:     { if (i > 60) { i = static_cast<bool>(co_await next_byte(fd)); } else { i = false; } }
// CHECK:      static vinyl::task<void> noter_async(int fd, bool w) {
// CHECK-NEXT:   {{\[\[}}maybe_unused]] bool vinyl_gcc12_frame = true; // g++ 12.2 miscompiles coroutines without locals
// CHECK-NEXT:   { if (w) { note(true); } else { note(co_await next_byte(fd) == 'y'); } } }

// OUT:      1
// OUT-NEXT: 0
// OUT-NEXT: 13
// OUT-NEXT: -1 120 121
// OUT-NEXT: 5
// OUT-NEXT: note 1
// OUT-NEXT: note 1
// OUT-NEXT: reads 14

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
bl+3xyabqwwwayz
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static int reads = 0;
static int next_byte(int fd) {
  char c = 0;
  ++reads;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
static bool bind_ok(int fd) { return next_byte(fd) == 'b'; }
static bool listen_internal(int fd) { return next_byte(fd) == 'l'; }
static bool start(int fd, bool want) { return want && bind_ok(fd) && listen_internal(fd); }
static int term(int fd) { return next_byte(fd) - '0'; }
static int expr(int fd, int v) {
  v = next_byte(fd) == '+' ? v + term(fd) : v - term(fd);
  return v;
}
static int left = 2;
static int get_or(int fd) { return left-- > 0 ? next_byte(fd) : -1; }
static int lines(int fd, int n) {
  int i = 0;
  for (i = 0; i < n && next_byte(fd) != 'q'; ++i)
    ;
  while (i < 100 and next_byte(fd) == 'w') ++i;
  if (i > 50)
    i = i > 60 && next_byte(fd);
  return i;
}
static void note(bool b) { std::printf("note %d\n", b); }
static void noter(int fd, bool w) { note(w || next_byte(fd) == 'y'); }
int main() {
  std::printf("%d\n", start(0, true));
  std::printf("%d\n", start(0, false));
  std::printf("%d\n", expr(0, 10));
  int a = get_or(0), b = get_or(0), c = get_or(0);
  std::printf("%d %d %d\n", c, a, b);
  std::printf("%d\n", lines(0, 3));
  noter(0, true);
  noter(0, false);
  std::printf("reads %d\n", reads);
}
