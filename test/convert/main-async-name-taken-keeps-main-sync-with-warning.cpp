// When the program declares `main_async` already (here a helper of its
// own), main's coroutine cannot take that name: `main` stays synchronous
// with a located warning pointing at the declaration that holds the name,
// and the helper, now async, keeps a blocking facade for it. The user's
// name is never taken over. --check says the warning again on the
// converted tree.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/out && %t/conv.clang >> %t/out
// RUN: env VINYL_IO=async %t/conv.gcc >> %t/out && env VINYL_IO=async %t/conv.clang >> %t/out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/out
// RUN: not %vinyl --check %t 2> %t.check
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.check

// WARN:      a.cpp:{{[0-9]+}}:5: warning: 'main' reaches blocking I/O but cannot become the coroutine 'main_async' under a blocking facade: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode each of its waits runs the event loop by itself [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:{{[0-9]+}}:12: note: the program declares 'main_async' already, the name its coroutine would take; rename that one to let main run on the event loop

// CHECK:      static vinyl::task<int> main_async_async(int fd) {
// CHECK:      static int main_async(int fd) {
// CHECK-NEXT:   return vinyl::block_on(main_async_async(fd));
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int main() {
// CHECK-NEXT:   return main_async(1);
// CHECK-NEXT: }

// OUT-COUNT-4: helper

//--- a.cpp
#include <unistd.h>

static int main_async(int fd) {
  return ::write(fd, "helper\n", 7) == 7 ? 0 : 1;
}

int main() {
  return main_async(1);
}
