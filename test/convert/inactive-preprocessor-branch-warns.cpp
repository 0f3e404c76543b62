// Code in an inactive #if branch of a function that becomes a coroutine is
// left as written (the compile database never parses it): where a build
// enables the branch it would not compile. The conversion lands with a
// [vinyl-inactive-code] warning at the branch; a function without one, or
// one that stays synchronous, gets none.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --input-file=%t/err --implicit-check-not=warning:
// RUN: %compile-both %t/a.cpp

// CHECK: a.cpp:5:1: warning: 'get' becomes a coroutine, but this inactive preprocessor branch of it is left as written: where a build enables it, its calls are not awaited and its returns are not co_return; convert with a compile database that enables it [vinyl-inactive-code]
// CHECK-NEXT: a.cpp:4:5: note: the function is defined here

//--- a.cpp
#include <sys/socket.h>
#include <unistd.h>

int get(int fd, char *b) {
#if defined(_WIN32)
  return ::recv(fd, b, 1, 0);
#else
  return (int)::read(fd, b, 1);
#endif
}

int plain(int x) {
#if defined(_WIN32)
  return x + 1;
#endif
  return x;
}
