// `fast_paths` and `facades: twins` together: a split function keeps its
// twin, written after its facade as for any converted function; the
// twin's fingerprint covers the coroutine half (vinyl::slow_t), so
// --check finds them in step, and out of step once the coroutine half
// changes alone. Both compilers, both modes; a second run changes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t reader.cpp main.cpp
// RUN: %build-both %t/orig %t/reader.cpp %t/main.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/reader.cpp
// RUN: %build-both %t/conv %t/reader.cpp %t/main.cpp
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/async2.out && diff %t/orig.out %t/async2.out
// RUN: cp %t/reader.cpp %t/reader.cpp.1
// RUN: %vinyl %t 2> %t/again.txt
// RUN: diff %t/reader.cpp.1 %t/reader.cpp
// RUN: %vinyl --check %t
// RUN: sed -i 's/co_return static_cast<unsigned char>(buf\[pos++\]);/co_return buf[pos++];/' %t/reader.cpp
// RUN: not %vinyl --check %t 2> %t/stale.txt
// RUN: FileCheck %s --check-prefix=STALE --input-file=%t/stale.txt

// CHECK:      vinyl::task<int> Reader::get_async(vinyl::slow_t) {
// CHECK:      vinyl::fast_task<int> Reader::get_async() {
// CHECK:      int Reader::get() {
// CHECK-NEXT:   if (vinyl::runs_blocking())
// CHECK-NEXT:     return get(vinyl::twin);
// CHECK-NEXT:   return vinyl::block_on(get_async());
// CHECK-NEXT: }
// CHECK:      int Reader::get(vinyl::twin_t) {
// CHECK:      long count(vinyl::twin_t, Reader &r) {
// CHECK:        for (int c = r.get(vinyl::twin); c != -1; c = r.get(vinyl::twin))

// STALE: reader.cpp:[[#]]:[[#]]: {{error|warning}}: the synchronous twin of 'Reader::get' no longer matches its coroutine as converted{{.*}}[vinyl-twin-out-of-step]
// STALE-NOT: twin of 'count'

//--- .vinyl.yaml
fast_paths: true
facades:
  twins: true
//--- input.txt
one line
and another
//--- reader.h
#pragma once

struct Reader {
  int fd = 0;
  char buf[4];
  long len = 0, pos = 0;
  int get();
};

long count(Reader &r);
//--- reader.cpp
#include "reader.h"
#include <unistd.h>

int Reader::get() {
  if (pos == len) {
    len = read(fd, buf, sizeof buf);
    if (len <= 0)
      return -1;
    pos = 0;
  }
  return static_cast<unsigned char>(buf[pos++]);
}

long count(Reader &r) {
  long n = 0;
  for (int c = r.get(); c != -1; c = r.get())
    n += c == '\n';
  return n;
}
//--- main.cpp
#include "reader.h"
#include <cstdio>

int main() {
  Reader r;
  std::printf("%ld\n", count(r));
}
