// A destructor that reaches I/O cannot become a coroutine: it stays
// synchronous, calling the blocking facade of `bye`, with one located
// warning; the conversion lands and the program writes the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out

// WARN:      a.cpp:7:3: warning: destructor 'Closer::~Closer' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:7:15: note: 'Closer::~Closer' calls 'bye' here
// WARN-NEXT: a.cpp:3:27: note: 'bye' calls 'write' here

// CHECK:      static vinyl::task<void> bye_async(int fd) { co_await vinyl::io::write(fd, "x", 1); }
// CHECK:        ~Closer() { bye(fd); }

//--- a.cpp
#include <unistd.h>

static void bye(int fd) { ::write(fd, "x", 1); }

struct Closer {
  int fd;
  ~Closer() { bye(fd); }
};

int main() { Closer c{1}; }
