// With `fast_paths: true` a caller whose waits are calls in a `while`
// condition is split at the loop's head: its plain half runs the loop as
// `for (;;) { bool vinyl_stop_K = false; bool vinyl_go_K =
// static_cast<bool>(C'); ... }`, each call in C' taken by
// vinyl::ready_or_stop, which stands a value-initialised result in for a
// call that is not ready and sets the flag; after the condition, a set flag
// hands the whole loop over (`return f(vinyl::slow_t(K), a);`) and the
// coroutine half, which jumps to the loop (`vinyl_at_K: while (...)`),
// evaluates the condition again. That is the original's evaluation: every
// call in the condition changes nothing when it is ready (the rest of its
// callee's body outside the cold guard is free of side effects) and
// nothing when it is not. A callee split at waits before which it does
// nothing (`int c = peek();` first) is restartable too, so its callers can
// be split (`get()` in the loop bodies). The body keeps `continue` (back to
// the condition) and `break`. Not split (--explain says why): a caller of a
// loop split so (it may have done work when it hands over), a condition
// that indexes with a call's value, a condition calling a function whose
// ready path has effects. Both compilers (g++ lowers the condition's `||`
// for its own sake), both modes, ASan, a 3-byte buffer so that every point
// hands over somewhere; a second run changes nothing and --check is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t reader.cpp main.cpp
// RUN: %vinyl --explain count_words %t > %t.explain
// RUN: %vinyl --explain skip_odd %t >> %t.explain
// RUN: %vinyl --explain skip_line %t >> %t.explain
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

// EXPLAIN: count_words (reader.cpp:[[#]]:[[#]]) is async, with a blocking facade, with no ready path (it waits at line [[#]] on 'Reader::skip_blanks', which may have done work by the time it hands over): {{[0-9]+ paths?}} to blocking I/O
// EXPLAIN: skip_odd (reader.cpp:[[#]]:[[#]]) is async, with a blocking facade, with no ready path (the condition of its loop at line [[#]] does more with a call's result than compare or test it, or has a side effect besides its calls, at line [[#]]): {{[0-9]+ paths?}} to blocking I/O
// EXPLAIN: skip_line (reader.cpp:[[#]]:[[#]]) is async, with a blocking facade, with no ready path (its loop condition at line [[#]] calls 'Reader::get', whose ready path may have side effects): {{[0-9]+ paths?}} to blocking I/O
// A loop over the byte reader's split functions, its body unbraced: one
// point for the two calls of its condition (g++'s lowering of the `||`
// keeps the label before the loop), one in its body; `get` is split at a
// wait before which it does nothing, so it may be called again.
// CHECK:      vinyl::task<void> Reader::skip_blanks_async(vinyl::slow_t vinyl_at) {
// CHECK:        switch (vinyl_at.at) { case 1: goto vinyl_at_1; case 2: goto vinyl_at_2; default: break; }
// CHECK-NEXT:   vinyl_at_1: while (true) { if (!(co_await peek_async() == ' ' || co_await peek_async() == '\t')) break;
// CHECK-NEXT:     vinyl_at_2: co_await get_async(); }
// CHECK:      vinyl::fast_task<void> Reader::skip_blanks_async() {
// CHECK-NEXT:   for (;;) { bool vinyl_stop_1 = false; bool vinyl_go_1 = static_cast<bool>(vinyl::ready_or_stop(peek_async(), vinyl_stop_1) == ' ' || vinyl::ready_or_stop(peek_async(), vinyl_stop_1) == '\t'); if (vinyl_stop_1) return skip_blanks_async(vinyl::slow_t(1)); if (!vinyl_go_1) break; {{$}}
// CHECK-NEXT:     { auto vinyl_ready_2 = get_async(); if (!vinyl_ready_2.ready()) return skip_blanks_async(vinyl::slow_t(2)); std::move(vinyl_ready_2).take_value(); } }
// CHECK-NEXT:   return {};

// A braced body with an `if` on a call, a `continue`, and `!` in the
// condition: the body stays a block of its own inside the plain half's
// `for (;;)`, so `continue` still goes to the condition.
// CHECK:      vinyl::fast_task<void> skip_comment_async(Reader &r) {
// CHECK-NEXT:   for (;;) { bool vinyl_stop_1 = false; bool vinyl_go_1 = static_cast<bool>(vinyl::ready_or_stop(r.peek_async(), vinyl_stop_1) != '\n' && !(vinyl::ready_or_stop(r.peek_async(), vinyl_stop_1) == -1)); if (vinyl_stop_1) return skip_comment_async(vinyl::slow_t(1), r); if (!vinyl_go_1) break;  {
// CHECK-NEXT:     auto vinyl_ready_2 = r.peek_async(); if (!vinyl_ready_2.ready()) return skip_comment_async(vinyl::slow_t(2), r); if (std::move(vinyl_ready_2).take_value() == '\\') {
// CHECK:            continue;
// CHECK-NEXT:     }
// CHECK-NEXT:     auto vinyl_ready_5 = r.get_async(); if (!vinyl_ready_5.ready()) return skip_comment_async(vinyl::slow_t(5), r); std::move(vinyl_ready_5).take_value();
// CHECK-NEXT:   } }

// Not split.
// CHECK-NOT:  fast_task<void> skip_odd
// CHECK-NOT:  fast_task<void> skip_line
// CHECK-NOT:  fast_task<long> count_words

//--- .vinyl.yaml
fast_paths: true
//--- input.txt
  one	two   three
	 \x # not a word
	four \ five\
six  seven eight
//--- reader.h
#pragma once

struct Reader {
  int fd = 0;
  char buf[3];
  long len = 0, pos = 0;
  bool refill();
  int peek();
  int get();
  void skip_blanks();
};

void skip_comment(Reader &r);
long count_words(Reader &r);
void skip_odd(Reader &r);
void skip_line(Reader &r);
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

void Reader::skip_blanks() {
  while (peek() == ' ' || peek() == '\t')
    get();
}

// To the end of the line; a backslash escapes the character after it.
void skip_comment(Reader &r) {
  while (r.peek() != '\n' && !(r.peek() == -1)) {
    if (r.peek() == '\\') {
      r.get();
      r.get();
      continue;
    }
    r.get();
  }
}

static const bool odd[2] = {false, true};

// Characters whose code is odd.
void skip_odd(Reader &r) {
  while (odd[r.peek() & 1])
    r.get();
}

void skip_line(Reader &r) {
  while (r.get() != '\n') {
  }
}

long count_words(Reader &r) {
  long words = 0;
  for (;;) {
    r.skip_blanks();
    int c = r.peek();
    if (c == -1)
      return words;
    if (c == '#') {
      skip_comment(r);
      continue;
    }
    if (c == '\n') {
      r.get();
      continue;
    }
    ++words;
    while (r.peek() != ' ' && r.peek() != '\t' && r.peek() != '\n' &&
           r.peek() != -1)
      r.get();
  }
}
//--- main.cpp
#include "reader.h"
#include <cstdio>
#include <unistd.h>

int main() {
  Reader r;
  std::printf("%ld words\n", count_words(r));
  // Back to the start of the input (a file), a line at a time.
  lseek(0, 0, SEEK_SET);
  Reader lines;
  for (int n = 0; lines.peek() != -1 && n < 10; ++n) {
    lines.skip_blanks();
    std::printf("line %d starts with %d\n", n, lines.peek());
    skip_comment(lines);
    lines.get();
  }
  lseek(0, 0, SEEK_SET);
  Reader v;
  skip_odd(v);
  skip_line(v);
  std::printf("after a line: %d\n", v.peek());
}
