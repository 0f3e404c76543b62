// A void function that reaches I/O becomes `vinyl::task<void>`; its bare
// `return;` becomes `co_return;` and a call used as a statement is awaited.
// Its facade (it is called from main) keeps the void signature, and the
// program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/a.cpp
// RUN: %t.orig-bin > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc > %t.gcc
// RUN: %t.conv.clang > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// CHECK:      static vinyl::task<void> say(const char *s, int n) {
// CHECK-NEXT:   if (n == 0)
// CHECK-NEXT:     co_return;
// CHECK-NEXT:   co_await vinyl::io::write(1, s, n);
// CHECK-NEXT: }
// CHECK:      static vinyl::task<void> greet_async() {
// CHECK-NEXT:   co_await say("hello ", 6);
// CHECK-NEXT:   co_await say("", 0);
// CHECK-NEXT:   co_await say("world\n", 6);
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: static void greet() {
// CHECK-NEXT:   {{(return )?}}vinyl::block_on(greet_async());
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <unistd.h>

static void say(const char *s, int n) {
  if (n == 0)
    return;
  ::write(1, s, n);
}

static void greet() {
  say("hello ", 6);
  say("", 0);
  say("world\n", 6);
}

int main() {
  greet();
  return 0;
}
