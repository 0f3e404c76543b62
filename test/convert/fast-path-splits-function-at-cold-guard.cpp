// With `fast_paths: true` a converted function whose every wait lies
// behind one guard free of side effects (the first `if`, or the left
// operand of its `&&`) is split: its coroutine, converted in place, takes
// the tag `vinyl::slow_t` first, and after it a plain half returning
// `vinyl::fast_task<R>` is the body as written with the guarded branch
// handing the call over (`return f(vinyl::slow, a);`). Declarations
// elsewhere declare the plain half, and the coroutine beside it. A call
// whose guard is false builds no coroutine frame, in either mode. No split
// where the guard has side effects or a wait lies outside its branch
// (--explain says why). Both compilers, both modes, ASan; a second run
// changes nothing and --check is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t reader.cpp main.cpp
// RUN: %vinyl --explain count_line %t > %t.explain
// RUN: %vinyl --explain skip_to %t >> %t.explain
// RUN: %vinyl --explain echo_next %t >> %t.explain
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t.explain
// RUN: %build-both %t/orig %t/reader.cpp %t/main.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/reader.cpp
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines --input-file=%t/reader.h
// RUN: %build-both %t/conv %t/reader.cpp %t/main.cpp -fsanitize=address,undefined
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async2.out && diff %t/orig.out %t/async2.out
// RUN: cp %t/reader.cpp %t/reader.cpp.1 && cp %t/reader.h %t/reader.h.1
// RUN: %vinyl %t 2> %t/again.txt
// RUN: diff %t/reader.cpp.1 %t/reader.cpp && diff %t/reader.h.1 %t/reader.h
// RUN: %vinyl --check %t

// The guard is the left operand of &&: the coroutine keeps the whole
// condition, the plain half only the guard.
// CHECK:      vinyl::task<int> get_byte_async(vinyl::slow_t, Reader &r) {
// CHECK:        if (r.pos == r.len && !co_await refill(r))
// CHECK-NEXT:     co_return -1;
// CHECK-NEXT:   co_return static_cast<unsigned char>(r.buf[r.pos++]);
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: // The ready path of 'get_byte' (vinyl-asyncify fast_paths).
// CHECK-NEXT: vinyl::fast_task<int> get_byte_async(Reader &r) {
// CHECK-NEXT:   if (r.pos == r.len)
// CHECK-NEXT:     return get_byte_async(vinyl::slow, r);
// CHECK-NEXT:   return static_cast<unsigned char>(r.buf[r.pos++]);
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int get_byte(Reader &r) {
// CHECK-NEXT:   return vinyl::block_on(get_byte_async(r));
// CHECK-NEXT: }

// An out-of-line member, a braced declaration free of side effects before the
// guard, the whole condition as the guard and a braced branch.
// CHECK:      vinyl::task<int> Reader::peek_async(vinyl::slow_t) {
// CHECK:      vinyl::fast_task<int> Reader::peek_async() {
// CHECK-NEXT:   const long left{len - pos};
// CHECK-NEXT:   if (left == 0) { return peek_async(vinyl::slow); }
// CHECK-NEXT:   return static_cast<unsigned char>(buf[pos]);
// CHECK-NEXT: }

// void: `return;` and the end of the body return a ready fast_task<void>.
// CHECK:      static vinyl::fast_task<void> skip_blanks(Reader &r, int limit) {
// CHECK-NEXT:   if (r.pos == r.len || limit == 0) { return skip_blanks(vinyl::slow, r, limit); }
// CHECK-NEXT:   if (r.buf[r.pos] != ' ')
// CHECK-NEXT:     return {};
// CHECK-NEXT:   ++r.pos;
// CHECK-NEXT:   return {};
// CHECK-NEXT: }

// Not split: a caller whose waits are not behind a guard, and which
// waits on I/O itself. (skip_to, whose waits are all calls of a split
// function, is split at them: fast-path-resumes-caller-at-its-waits.cpp.)
// CHECK-NOT:  fast_task<long> count_line
// CHECK-NOT:  fast_task<int> echo_next

// HEADER:        vinyl::fast_task<int> peek_async();
// HEADER-NEXT:   vinyl::task<int> peek_async(vinyl::slow_t);
// HEADER-NEXT:   int peek();
// HEADER:      vinyl::fast_task<int> get_byte_async(Reader &r);
// HEADER-NEXT: vinyl::task<int> get_byte_async(vinyl::slow_t, Reader &r);
// HEADER-NEXT: int get_byte(Reader &r);

// EXPLAIN: count_line (reader.cpp:[[#]]:[[#]]) is async, with no ready path (its statement at line [[#]] comes before any 'if' and may have side effects): {{[0-9]+ paths?}} to blocking I/O
// EXPLAIN: skip_to (reader.cpp:[[#]]:[[#]]) is async, split at its waits for a ready path: {{[0-9]+ paths?}} to blocking I/O
// EXPLAIN: echo_next (reader.cpp:[[#]]:[[#]]) is async, with no ready path (it waits at line [[#]], outside the branch its 'if' guards): {{[0-9]+ paths?}} to blocking I/O

//--- .vinyl.yaml
fast_paths: true
//--- input.txt
alpha   beta
  gamma

delta   x
//--- reader.h
#pragma once

struct Reader {
  int fd = 0;
  char buf[4];
  long len = 0, pos = 0;
  int peek();
};

int get_byte(Reader &r);
long count_all(Reader &r);
//--- reader.cpp
#include "reader.h"
#include <unistd.h>

static bool refill(Reader &r) {
  long n = read(r.fd, r.buf, sizeof r.buf);
  if (n <= 0)
    return false;
  r.pos = 0;
  r.len = n;
  return true;
}

int get_byte(Reader &r) {
  if (r.pos == r.len && !refill(r))
    return -1;
  return static_cast<unsigned char>(r.buf[r.pos++]);
}

int Reader::peek() {
  const long left{len - pos};
  if (left == 0) {
    if (!refill(*this))
      return -1;
  }
  return static_cast<unsigned char>(buf[pos]);
}

static void skip_blanks(Reader &r, int limit) {
  if (r.pos == r.len || limit == 0) {
    while (limit-- > 0 && r.peek() == ' ')
      get_byte(r);
    return;
  }
  if (r.buf[r.pos] != ' ')
    return;
  ++r.pos;
}

static int skip_to(Reader &r, int c) {
  if (c == 0)
    return -1;
  int got = get_byte(r);
  if (got != c)
    return got;
  return get_byte(r);
}

static int echo_next(Reader &r, int c) {
  if (c == 0)
    return -1;
  write(1, "<", 1);
  return get_byte(r);
}

static long count_line(Reader &r) {
  long n = 0;
  skip_blanks(r, 8);
  for (int c = get_byte(r); c != -1 && c != '\n'; c = get_byte(r)) {
    if (c == ' ') {
      skip_blanks(r, 8);
      ++n;
    }
    write(1, &c, 1);
  }
  write(1, "|", 1);
  if (r.peek() == -1)
    return -n - 1;
  return n;
}

long count_all(Reader &r) {
  long words = 0;
  for (long n = count_line(r); n >= 0; n = count_line(r))
    words += n;
  return words + skip_to(r, 'x') + echo_next(r, 1);
}
//--- main.cpp
#include "reader.h"
#include <cstdio>

int main() {
  Reader r;
  std::printf("\n%ld\n", count_all(r));
}
