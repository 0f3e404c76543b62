// A static object whose destructor reaches I/O (a global connection that
// says goodbye at exit) stays synchronous and calls the blocking facade,
// after main has returned. In async mode that facade runs once this
// thread's cached event loop is gone (thread-local objects are destroyed
// before static ones): it makes a loop of its own instead of using the
// freed one (a use-after-free, found converting kissnet, whose global UDP
// socket closes at exit). Both compilers, ASan, both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err.txt
// RUN: %build-both %t/conv %t/a.cpp -fsanitize=address,undefined
// RUN: %t/conv.gcc > %t/gcc.out && FileCheck %s --match-full-lines --input-file=%t/gcc.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && FileCheck %s --match-full-lines --input-file=%t/gcc-async.out
// RUN: env VINYL_IO=async VINYL_IO_BACKEND=epoll %t/conv.clang > %t/clang-async.out && FileCheck %s --match-full-lines --input-file=%t/clang-async.out

// WARN: warning: destructor 'Conn::~Conn' reaches blocking I/O but cannot become a coroutine{{.*}}[vinyl-blocking-fallback]

// CHECK:      hello
// CHECK-NEXT: bye

//--- a.cpp
#include <cstring>
#include <unistd.h>

static void say(const char *s) { ::write(1, s, std::strlen(s)); }

struct Conn {
  ~Conn() { say("bye\n"); }
};

Conn global;

int main() { say("hello\n"); }
