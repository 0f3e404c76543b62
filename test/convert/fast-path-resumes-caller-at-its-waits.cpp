// With `fast_paths: true` a caller whose every wait is a call of a function
// split at a cold guard is split too, with no guard of its own: its plain
// half hoists each such call before its statement and, where the result
// is not ready, hands the call over with the statement's number
// (`return f(vinyl::slow_t(K), a);`); the coroutine half jumps to that
// statement (`switch (vinyl_at.at) { case K: goto vinyl_at_K; }`) and runs
// it again, call and all, which is the original's call since a guarded
// callee that is not ready has done nothing. A declaration the jump
// crosses is written `int b; b = e;` in the coroutine half. Points: a
// declaration, an assignment in a loop, a return, an `if` on the call, an
// expression statement. Not split (--explain says why): a caller that
// still reads a local after a wait, and a caller of a caller that may have
// done work when it hands over (`next_token` sets `t.len` first). Both
// compilers, both modes, ASan, a 3-byte buffer so that every point hands
// over somewhere in the input; a second run changes nothing and --check
// is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t reader.cpp main.cpp
// RUN: %vinyl --explain sum_bytes %t > %t.explain
// RUN: %vinyl --explain sum_tokens %t >> %t.explain
// RUN: %vinyl --explain next_token %t >> %t.explain
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t.explain
// RUN: %build-both %t/orig %t/reader.cpp %t/main.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/reader.cpp
// RUN: %build-both %t/conv %t/reader.cpp %t/main.cpp -fsanitize=address,undefined
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async2.out && diff %t/orig.out %t/async2.out
// RUN: cp %t/reader.cpp %t/reader.cpp.1 && cp %t/reader.h %t/reader.h.1
// RUN: %vinyl %t 2> %t/again.txt
// RUN: diff %t/reader.cpp.1 %t/reader.cpp && diff %t/reader.h.1 %t/reader.h
// RUN: %vinyl --check %t

// A member reading its first byte through a split one: one point.
// CHECK:      vinyl::task<int> Reader::get_async(vinyl::slow_t vinyl_at) {
// CHECK-NEXT:   switch (vinyl_at.at) { case 1: goto vinyl_at_1; default: break; }
// CHECK-NEXT:   vinyl_at_1: int c = co_await peek_async();
// CHECK:      vinyl::fast_task<int> Reader::get_async() {
// CHECK-NEXT:   auto vinyl_ready_1 = peek_async(); if (!vinyl_ready_1.ready()) return get_async(vinyl::slow_t(1)); int c = std::move(vinyl_ready_1).take_value();
// CHECK-NEXT:   if (c != -1)
// CHECK-NEXT:     ++pos;

// A loop: the first byte's declaration is crossed by the jump to the
// loop's, so the coroutine half declares it apart; the work done before
// (`t.len = 0`, the bytes stored) is never done twice.
// CHECK:      vinyl::task<int> next_token_async(vinyl::slow_t vinyl_at, Reader &r, Token &t) {
// CHECK-NEXT:   switch (vinyl_at.at) { case 1: goto vinyl_at_1; case 2: goto vinyl_at_2; default: break; }
// CHECK-NEXT:   t.len = 0;
// CHECK-NEXT:   vinyl_at_1: int b; b = co_await r.get_byte_async();
// CHECK:          vinyl_at_2: b = co_await r.get_byte_async();
// CHECK:      vinyl::fast_task<int> next_token_async(Reader &r, Token &t) {
// CHECK-NEXT:   t.len = 0;
// CHECK-NEXT:   auto vinyl_ready_1 = r.get_byte_async(); if (!vinyl_ready_1.ready()) return next_token_async(vinyl::slow_t(1), r, t); int b = std::move(vinyl_ready_1).take_value();
// CHECK:          auto vinyl_ready_2 = r.get_byte_async(); if (!vinyl_ready_2.ready()) return next_token_async(vinyl::slow_t(2), r, t); b = std::move(vinyl_ready_2).take_value();

// An `if` on the call, an unbraced expression statement, a return.
// CHECK:      static vinyl::fast_task<int> skip_sign(Reader &r) {
// CHECK-NEXT:   auto vinyl_ready_1 = r.get_byte_async(); if (!vinyl_ready_1.ready()) return skip_sign(vinyl::slow_t(1), r); if (std::move(vinyl_ready_1).take_value() == '-') {
// CHECK-NEXT:     if (r.pos < 0)
// CHECK-NEXT:       { auto vinyl_ready_2 = r.get_byte_async(); if (!vinyl_ready_2.ready()) return skip_sign(vinyl::slow_t(2), r); std::move(vinyl_ready_2).take_value(); }
// CHECK-NEXT:     return -1;
// CHECK-NEXT:   }
// CHECK-NEXT:   auto vinyl_ready_3 = r.get_byte_async(); if (!vinyl_ready_3.ready()) return skip_sign(vinyl::slow_t(3), r); return std::move(vinyl_ready_3).take_value();

// Not split.
// CHECK-NOT:  fast_task<long> sum_tokens
// CHECK-NOT:  fast_task<long> count_lines
// CHECK-NOT:  fast_task<long> sum_bytes

// EXPLAIN: sum_bytes (reader.cpp:[[#]]:[[#]]) is async, with a blocking facade, with no ready path ('sum' is still read after its call at line [[#]], and the coroutine half would start without it): {{[0-9]+ paths?}} to blocking I/O
// EXPLAIN: sum_tokens (reader.cpp:[[#]]:[[#]]) is async, with a blocking facade, with no ready path (it waits at line [[#]] on 'next_token', which may have done work by the time it hands over): {{[0-9]+ paths?}} to blocking I/O
// EXPLAIN: next_token (reader.cpp:[[#]]:[[#]]) is async, with a blocking facade, split at its waits for a ready path: {{[0-9]+ paths?}} to blocking I/O

//--- .vinyl.yaml
fast_paths: true
//--- input.txt
alpha,beta,-gamma
delta,,x
-epsilon,zeta
//--- reader.h
#pragma once

struct Token {
  char text[16];
  int len = 0;
};

struct Reader {
  int fd = 0;
  char buf[3];
  long len = 0, pos = 0;
  bool refill();
  int peek();
  int get();
  int get_byte();
};

int next_token(Reader &r, Token &t);
long sum_tokens(Reader &r);
long count_lines(Reader &r);
long sum_bytes(Reader &r, int k);
//--- reader.cpp
#include "reader.h"
#include <unistd.h>

bool Reader::refill() {
  long n = read(fd, buf, sizeof buf);
  if (n <= 0)
    return false;
  pos = 0;
  len = n;
  return true;
}

int Reader::peek() {
  if (pos == len && !refill())
    return -1;
  return static_cast<unsigned char>(buf[pos]);
}

int Reader::get() {
  int c = peek();
  if (c != -1)
    ++pos;
  return c;
}

int Reader::get_byte() {
  if (pos == len && !refill())
    return -1;
  return static_cast<unsigned char>(buf[pos++]);
}

int next_token(Reader &r, Token &t) {
  t.len = 0;
  int b = r.get_byte();
  while (b != -1 && b != ',' && b != '\n') {
    if (t.len < static_cast<int>(sizeof t.text))
      t.text[t.len++] = static_cast<char>(b);
    b = r.get_byte();
  }
  return b;
}

static int skip_sign(Reader &r) {
  if (r.get_byte() == '-') {
    if (r.pos < 0)
      r.get_byte();
    return -1;
  }
  return r.get_byte();
}

long sum_tokens(Reader &r) {
  long sum = 0;
  Token t;
  int end = next_token(r, t);
  while (end != -1) {
    for (int i = 0; i < t.len; ++i)
      sum = sum * 31 + t.text[i];
    sum = sum * 31 + end;
    end = next_token(r, t);
  }
  return sum;
}

long sum_bytes(Reader &r, int k) {
  long sum = 0;
  int b = r.get_byte();
  while (k-- > 0) {
    sum += b;
    b = r.get_byte();
  }
  return sum;
}

long count_lines(Reader &r) {
  long lines = 0;
  for (int c = r.get(); c != -1; c = r.get())
    if (c == '\n')
      ++lines;
  return lines + skip_sign(r);
}
//--- main.cpp
#include "reader.h"
#include <cstdio>
#include <unistd.h>

int main() {
  Reader r;
  std::printf("%ld\n", sum_tokens(r));
  // Back to the start of the input (a file), through the other readers.
  lseek(0, 0, SEEK_SET);
  Reader again;
  std::printf("%ld\n", count_lines(again));
  lseek(0, 0, SEEK_SET);
  Reader third;
  std::printf("%ld\n", sum_bytes(third, 20));
}
