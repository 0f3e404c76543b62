// A lambda stored in a local variable and only ever called becomes a
// coroutine lambda with an explicit `-> vinyl::task<T>` (the deduced type
// spelled out, "()" added where it had no parameter list), its returns
// become co_return, and its calls are awaited.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      static vinyl::task<int> count_lines(int fd) {
// CHECK-NEXT:   int lines = 0;
// CHECK-NEXT:   auto next = [&]() -> vinyl::task<int> {
// CHECK-NEXT:     char c = 0;
// CHECK-NEXT:     if (co_await vinyl::io::read(fd, &c, 1) != 1)
// CHECK-NEXT:       co_return -1;
// CHECK-NEXT:     co_return static_cast<int>(c);
// CHECK-NEXT:   };
// CHECK-NEXT:   for (int c = co_await next(); c != -1; c = co_await next())
// CHECK-NEXT:     if (c == '\n')
// CHECK-NEXT:       ++lines;
// CHECK-NEXT:   co_return lines;
// CHECK-NEXT: }
// CHECK:      vinyl::task<std::size_t> total(int fd) {
// CHECK-NEXT:   auto put = [fd](const std::string &s) -> vinyl::task<std::basic_string<char>::size_type> {
// CHECK-NEXT:     co_return co_await vinyl::io::write(fd, s.data(), s.size()) < 0 ? 0 : s.size();
// CHECK-NEXT:   };
// CHECK-NEXT:   co_return co_await put("a") + co_await put("bc") + co_await count_lines(fd);
// CHECK-NEXT: }

//--- a.cpp
#include <cstddef>
#include <string>
#include <unistd.h>

static int count_lines(int fd) {
  int lines = 0;
  auto next = [&] {
    char c = 0;
    if (::read(fd, &c, 1) != 1)
      return -1;
    return static_cast<int>(c);
  };
  for (int c = next(); c != -1; c = next())
    if (c == '\n')
      ++lines;
  return lines;
}

std::size_t total(int fd) {
  auto put = [fd](const std::string &s) {
    return ::write(fd, s.data(), s.size()) < 0 ? 0 : s.size();
  };
  return put("a") + put("bc") + count_lines(fd);
}

