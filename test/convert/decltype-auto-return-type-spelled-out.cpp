// A `decltype(auto)` return type is replaced by the deduced type inside the
// task: a value for `return f();`, an lvalue reference for `return (x);`.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      vinyl::task<int> get(int fd) {
// CHECK:      vinyl::task<int> value(int fd) {
// CHECK-NEXT:   co_return co_await get(fd);
// CHECK-NEXT: }
// CHECK:      vinyl::task<std::string &> last(int fd) {
// CHECK-NEXT:   buf += char(co_await get(fd));
// CHECK-NEXT:   co_return (buf);
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>
#include <string>

static std::string buf;

int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

decltype(auto) value(int fd) {
  return get(fd);
}

decltype(auto) last(int fd) {
  buf += char(get(fd));
  return (buf);
}
