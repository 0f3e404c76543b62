// A function template whose body reaches I/O is converted as a pattern
// (`vinyl::task<T>`), and calls of its specialisations are awaited: the
// result compiles with both compilers.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      template <class T> vinyl::task<T> get(int fd) {
// CHECK-NEXT:   T v{};
// CHECK-NEXT:   co_await vinyl::io::read(fd, &v, sizeof v);
// CHECK-NEXT:   co_return v;
// CHECK-NEXT: }
// CHECK-NEXT: vinyl::task<int> use(int fd) { co_return co_await get<int>(fd) + co_await get<char>(fd); }

//--- a.cpp
#include <unistd.h>
template <class T> T get(int fd) {
  T v{};
  ::read(fd, &v, sizeof v);
  return v;
}
int use(int fd) { return get<int>(fd) + get<char>(fd); }
