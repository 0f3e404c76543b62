// With `facades: twins: true` every converted function also keeps its body
// as it was, `R f(vinyl::twin_t, P...)`, written after the coroutine (and
// after its facade), and declared beside each other declaration (a member
// in its class, a function in its header). A facade runs the twin when
// vinyl::runs_blocking() (blocking mode, no loop on the thread), so a
// buffered reader costs there what the original did: no frame per byte.
// In the copy, a call of a converted function calls its twin
// (`get_byte(vinyl::twin)`); a converted callee without a twin or a facade
// is waited on in place; leaves, facades (the virtual `take`, public API)
// and other calls stay as written. A function with a static local gets no twin: a copy would not
// share it. Both compilers, both modes, ASan; a second run changes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t reader.cpp main.cpp
// RUN: %vinyl --explain first_line %t > %t.explain
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
// RUN: sed -i 's/co_return !line.empty();/co_return line.size() > 0;/' %t/reader.cpp
// RUN: not %vinyl --check %t 2> %t/stale.txt
// RUN: FileCheck %s --check-prefix=STALE --input-file=%t/stale.txt

// The member's twin, out of line like the member; the read stays a read.
// CHECK:      // The synchronous twin of 'Reader::get_byte' for blocking mode (vinyl-asyncify): keep the two in step.
// CHECK-NEXT: // vinyl-twin-fingerprint: {{[0-9a-f]+}}
// CHECK-NEXT: int Reader::get_byte(vinyl::twin_t) {
// CHECK-NEXT:   if (pos_ == len_) {
// CHECK-NEXT:     len_ = read(fd_, buf_, sizeof buf_);

// Calls of converted functions call their twins; the virtual's facade is
// called as before.
// CHECK:      bool read_line(vinyl::twin_t, Reader &r, std::string &line) {
// CHECK:        while ((c = r.get_byte(vinyl::twin)) >= 0) {
// CHECK:      long count_lines(vinyl::twin_t, Reader &r) {
// CHECK:        while (read_line(vinyl::twin, r, line)) {
// CHECK-NEXT:     n += r.sink->take(line);

// A static local: no twin, so its callers wait on its coroutine.
// CHECK-NOT:  first_line(vinyl::twin_t

// The facade dispatches, then waits as before; its twin follows it.
// CHECK:      long total(Reader &r) {
// CHECK-NEXT:   if (vinyl::runs_blocking())
// CHECK-NEXT:     return total(vinyl::twin, r);
// CHECK-NEXT:   return vinyl::block_on(total_async(r));
// CHECK-NEXT: }
// CHECK:      long total(vinyl::twin_t, Reader &r) {
// CHECK-NEXT:   return count_lines(vinyl::twin, r) + (vinyl::block_on(first_line(r)) ? 1 : 0);

// STALE: reader.cpp:[[#]]:[[#]]: {{error|warning}}: the synchronous twin of 'read_line' no longer matches its coroutine as converted: one of the two changed without the other, so blocking and async mode may differ; make the same change in both, then set the fingerprint above to {{[0-9a-f]+}} [vinyl-twin-out-of-step]
// STALE-NOT: twin of 'Reader::get_byte'

// EXPLAIN: first_line (reader.cpp:[[#]]:[[#]]) is async, with no synchronous twin (its static local at {{.*}}reader.cpp:[[#]] would not be shared with a copy): 1 path to blocking I/O

// HEADER:        vinyl::task<int> get_byte_async();
// HEADER-NEXT:   int get_byte();
// HEADER-NEXT:   int get_byte(vinyl::twin_t);
// HEADER:      vinyl::task<long> total_async(Reader &r);
// HEADER-NEXT: long total(Reader &r);
// HEADER-NEXT: long total(vinyl::twin_t, Reader &r);

//--- .vinyl.yaml
facades:
  twins: true
//--- input.txt
alpha
beta

gamma
//--- reader.h
#pragma once
#include <string>

struct Sink {
  virtual ~Sink() = default;
  virtual long take(const std::string &line) = 0;
};

struct Reader {
  int fd_ = 0;
  char buf_[4];
  long len_ = 0, pos_ = 0;
  Sink *sink = nullptr;
  int get_byte();
};

long total(Reader &r);
//--- reader.cpp
#include "reader.h"
#include <unistd.h>

struct Echo : Sink {
  long take(const std::string &line) override {
    return write(1, line.data(), line.size()) == long(line.size());
  }
};

int Reader::get_byte() {
  if (pos_ == len_) {
    len_ = read(fd_, buf_, sizeof buf_);
    if (len_ <= 0)
      return -1;
    pos_ = 0;
  }
  return buf_[pos_++];
}

bool read_line(Reader &r, std::string &line) {
  line.clear();
  int c;
  while ((c = r.get_byte()) >= 0) {
    if (c == '\n')
      return true;
    line += char(c);
  }
  return !line.empty();
}

long count_lines(Reader &r) {
  Echo echo;
  r.sink = &echo;
  long n = 0;
  std::string line;
  while (read_line(r, line)) {
    n += r.sink->take(line);
  }
  r.sink = nullptr;
  return n;
}

bool first_line(Reader &r) {
  static int calls = 0;
  return ++calls == 1 && r.get_byte() < 0;
}

long total(Reader &r) {
  return count_lines(r) + (first_line(r) ? 1 : 0);
}
//--- main.cpp
#include "reader.h"
#include <cstdio>

int main() {
  Reader r;
  std::printf("\n%ld\n", total(r));
}
