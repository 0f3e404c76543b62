// `fetch` needs a blocking facade (main, outside the paths, calls it), so
// its coroutine would be `fetch_async`; but the library already has a
// `fetch_async`. Adding an overload of that name could change which one
// its callers pick, so `fetch` stays synchronous (its leaf waited for with
// block_on) with a located [vinyl-blocking-fallback] warning whose note
// points at the declaration that has the name and says how to free it,
// and the rest converts: `count`, next to it, gets its facade. Both
// compilers, both modes, print what the original printed; a second run
// writes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t conn.cpp main.cpp
// RUN: %build-both %t/orig %t/conn.cpp %t/main.cpp
// RUN: %t/orig.gcc > %t/expected
// RUN: %vinyl %t/conn.cpp %t/conn.h 2> %t/warnings
// RUN: FileCheck %s --match-full-lines --input-file=%t/conn.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/warnings
// RUN: %build-both %t/conv %t/conn.cpp %t/main.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/expected %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/expected %t/gcc-async.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/expected %t/clang.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/expected %t/clang-async.out
// RUN: cp %t/conn.cpp %t.first.cpp && %vinyl %t/conn.cpp %t/conn.h 2> /dev/null && diff %t.first.cpp %t/conn.cpp

// CHECK:      int fetch(int fd) { return (int)vinyl::block_on(vinyl::io::write(fd, "fetch\n", 6)); }
// CHECK-NEXT: long fetch_async(long fd) { return fd + 100; }
// CHECK-NEXT: vinyl::task<int> count_async(int fd) { co_return (int)co_await vinyl::io::write(fd, "count\n", 6); }
// CHECK-EMPTY:
// CHECK-NEXT: int count(int fd) {
// CHECK-NEXT:   return vinyl::block_on(count_async(fd));
// CHECK-NEXT: }

// WARN: {{.*}}conn.h:3:5: warning: function 'fetch' reaches blocking I/O but cannot become a coroutine: it stays synchronous {{.*}} [vinyl-blocking-fallback]
// WARN-NEXT: {{.*}}conn.h:5:6: note: its coroutine, beside a blocking facade, would take the name of 'fetch_async', declared here, and callers of that one could then pick the coroutine; rename one of them, or set another `name_scheme` in .vinyl.yaml

//--- conn.h
#pragma once

int fetch(int fd);
// Not the coroutine of fetch: an older API that takes a long.
long fetch_async(long fd);
int count(int fd);
//--- conn.cpp
#include "conn.h"
#include <unistd.h>

int fetch(int fd) { return (int)::write(fd, "fetch\n", 6); }
long fetch_async(long fd) { return fd + 100; }
int count(int fd) { return (int)::write(fd, "count\n", 6); }
//--- main.cpp
#include "conn.h"
#include <cstdio>

int main() {
  int a = fetch(1);
  int b = count(1);
  // Picks fetch_async(long): an int overload added beside it would win.
  std::printf("%d %d %ld\n", a, b, fetch_async(1));
}
