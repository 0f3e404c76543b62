// An async function whose address escapes through a plain function pointer
// (the pointer type cannot change with it here: its value is used other
// than by calling it, and the warning says so) keeps its name as a
// blocking facade, so the pointer still calls a function of the old type:
// a located [vinyl-blocking-fallback] warning at the use, with the chain;
// the conversion lands and compiles.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// WARN:      a.cpp:10:36: warning: the address of 'get' is taken here, and it reaches blocking I/O: calls through the pointer use its blocking facade, which in async mode waits in a nested run of the event loop (its type 'int (*)(int)' keeps its signature: {{.*}}) [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:5:3: note: 'get' calls 'read' here

// CHECK:      static vinyl::task<int> get_async(int fd) {
// CHECK:      static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK:      void install() { register_callback(get); }

//--- a.cpp
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

extern "C" void register_callback(int (*cb)(int)) { (void)cb; }
void install() { register_callback(get); }
