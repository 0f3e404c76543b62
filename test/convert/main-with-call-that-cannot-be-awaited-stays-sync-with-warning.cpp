// A `main` with a call that reaches I/O but cannot be awaited where it is
// written (inside a macro expansion) would be refused in any other
// function; main instead stays synchronous, as it was, with a located
// warning naming that call, so the rest of the program still converts.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/out && %t/conv.clang >> %t/out
// RUN: env VINYL_IO=async %t/conv.gcc >> %t/out && env VINYL_IO=async %t/conv.clang >> %t/out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/out

// WARN:      a.cpp:7:5: warning: 'main' reaches blocking I/O but cannot become the coroutine 'main_async' under a blocking facade: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode each of its waits runs the event loop by itself [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:9:10: note: the call of 'put' here cannot be awaited: it is written inside a macro expansion
// WARN-NEXT: a.cpp:8:3: note: 'main' calls 'put' here
// WARN-NEXT: a.cpp:4:33: note: 'put' calls 'write' here

// CHECK:      static int put(char c) {
// CHECK-NEXT:   return vinyl::block_on(put_async(c));
// CHECK-NEXT: }
// CHECK:      int main() {
// CHECK-NEXT:   put('a');
// CHECK-NEXT:   return PUT_TWICE('\n') == 2 ? 0 : 1;
// CHECK-NEXT: }

// OUT-COUNT-4: a

//--- a.cpp
#include <unistd.h>

// A macro hides its calls from the rewrite.
static int put(char c) { return ::write(1, &c, 1); }
#define PUT_TWICE(c) (put(c) + put(c))

int main() {
  put('a');
  return PUT_TWICE('\n') == 2 ? 0 : 1;
}
