// A call of a rules leaf becomes `co_await` of its replacement, and the
// function holding it becomes a task coroutine.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      #include <unistd.h>
// CHECK-NEXT: #include <vinyl/vinyl.hpp>
// CHECK:      vinyl::task<long> fill(int fd, char *buf) {
// CHECK-NEXT:   ssize_t n = co_await vinyl::io::read(fd, buf, 16);
// CHECK-NEXT:   co_return n;
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

long fill(int fd, char *buf) {
  ssize_t n = ::read(fd, buf, 16);
  return n;
}
