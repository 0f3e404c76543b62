// A named async function stored in a std::function (not a callback type
// the rules name, and with automatic callback types off) keeps its name as
// a blocking facade, which the std::function holds: calls through it wait.
// A located warning with the chain; the conversion lands and compiles.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// WARN:      a.cpp:10:43: warning: the address of 'get' is taken here, and it reaches blocking I/O: calls through the pointer use its blocking facade, which in async mode waits in a nested run of the event loop [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:6:3: note: 'get' calls 'read' here

// CHECK:      static int get(int fd) {
// CHECK-NEXT:   return vinyl::block_on(get_async(fd));
// CHECK-NEXT: }
// CHECK:      std::function<int(int)> reader() { return get; }

//--- .vinyl.yaml
# without it, the type written inline would form a family and convert
automatic_callback_types: false
//--- a.cpp
#include <functional>
#include <unistd.h>

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

std::function<int(int)> reader() { return get; }
