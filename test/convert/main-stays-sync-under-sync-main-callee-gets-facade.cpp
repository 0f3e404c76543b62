// Under `facades: { sync_main: true }` `main` never becomes a coroutine,
// as in earlier versions: a leaf called directly in it stays blocking, and
// a function it calls keeps its name and signature as a blocking facade
// over the `_async` coroutine. No warning: it is what was asked for.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=QUIET --implicit-check-not=warning: --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp
// RUN: sh -c '%vinyl --check %t; echo "exit=$?"' > %t.check
// RUN: FileCheck %s --check-prefix=FIXPOINT --match-full-lines --input-file=%t.check

// CHECK:      static vinyl::task<int> get_async(int fd) {
// CHECK-NEXT:   char c = 0;
// CHECK-NEXT:   co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:   co_return c;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int main() {
// CHECK-NEXT:   char c = 'x';
// CHECK-NEXT:   ::write(1, &c, 1);
// CHECK-NEXT:   return get(0);
// CHECK-NEXT: }

// QUIET: converted {{.*}}a.cpp

// FIXPOINT: exit=0

//--- .vinyl.yaml
facades:
  sync_main: true
//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int main() {
  char c = 'x';
  ::write(1, &c, 1);
  return get(0);
}
