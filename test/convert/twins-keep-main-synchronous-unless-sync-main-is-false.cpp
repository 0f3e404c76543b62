// With `facades: { twins: true }`, `main` stays synchronous unless
// `sync_main: false` says otherwise: a `main_async` would run every call
// as a coroutine in blocking mode too, where the facades a synchronous
// `main` calls run the original bodies (the twins), which is what twins
// are for; and `main` itself cannot have a twin, since it cannot be
// overloaded. With `sync_main: false` it converts as without twins. Both
// compilers, both modes, and the same output as the original.
// RUN: rm -rf %t && split-file %s %t && cp -r %t %t.conv
// RUN: %mkdb %t reader.cpp main.cpp && %mkdb %t.conv reader.cpp main.cpp
// RUN: %build-both %t/orig %t/reader.cpp %t/main.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=SYNC --match-full-lines --input-file=%t/main.cpp
// RUN: FileCheck %s --check-prefix=TWIN --input-file=%t/reader.cpp
// RUN: %build-both %t/conv %t/reader.cpp %t/main.cpp
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: printf 'facades: { twins: true, sync_main: false }\n' > %t.conv/.vinyl.yaml
// RUN: %vinyl %t.conv 2> %t.conv/err.txt
// RUN: FileCheck %s --check-prefix=ASYNC --match-full-lines --input-file=%t.conv/main.cpp
// RUN: %build-both %t.conv/conv %t.conv/reader.cpp %t.conv/main.cpp
// RUN: %t.conv/conv.gcc < %t/input.txt > %t.conv/gcc.out && diff %t/orig.out %t.conv/gcc.out
// RUN: env VINYL_IO=async %t.conv/conv.clang < %t/input.txt > %t.conv/async.out && diff %t/orig.out %t.conv/async.out

// SYNC:      int main() {
// SYNC-NEXT:   Reader r;
// SYNC-NEXT:   std::printf("%ld\n", count_lines(r));
// SYNC-NEXT: }
// TWIN: long count_lines(vinyl::twin_t, Reader &r) {

// ASYNC:      vinyl::task<int> main_async() {
// ASYNC:        std::printf("%ld\n", co_await count_lines_async(r));
// ASYNC:      int main() {
// ASYNC-NEXT:   return vinyl::block_on(main_async());

//--- .vinyl.yaml
facades: { twins: true }
//--- input.txt
one
two
three
//--- reader.h
#pragma once

struct Reader {
  int fd = 0;
  char buf[4];
  long len = 0, pos = 0;
  int get_byte();
};

long count_lines(Reader &r);
//--- reader.cpp
#include "reader.h"
#include <unistd.h>

int Reader::get_byte() {
  if (pos == len) {
    long n = read(fd, buf, sizeof buf);
    if (n <= 0)
      return -1;
    pos = 0;
    len = n;
  }
  return static_cast<unsigned char>(buf[pos++]);
}

long count_lines(Reader &r) {
  long lines = 0;
  for (int c = r.get_byte(); c != -1; c = r.get_byte())
    if (c == '\n')
      ++lines;
  return lines;
}
//--- main.cpp
#include "reader.h"
#include <cstdio>

int main() {
  Reader r;
  std::printf("%ld\n", count_lines(r));
}
