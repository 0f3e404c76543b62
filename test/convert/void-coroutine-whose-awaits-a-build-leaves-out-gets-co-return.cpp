// A void function whose only I/O sits in a branch one unit enables and
// another skips (`#ifdef WITH_LOG`, as kissnet's socket::close calls
// SSL_shutdown only under KISSNET_USE_OPENSSL) becomes a coroutine with a
// `co_return;` of its own: without it, the unit that skips the branch
// would see a function returning a task with no co_await, co_return or
// return in it (g++: "no return statement", and a crash at run time).
// Both units compile with -Werror, and run, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t plain.cpp
// RUN: python3 -c "import json; a=json.load(open('%t/compile_commands.json')); a.append(dict(directory='%t', file='%t/logged.cpp', arguments=['g++','-std=c++20','-DWITH_LOG','-c','logged.cpp'])); json.dump(a, open('%t/compile_commands.json','w'))"
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/conn.hpp
// RUN: %build-both %t/plain %t/plain.cpp
// RUN: %build-both %t/logged %t/logged.cpp -DWITH_LOG
// RUN: %t/plain.gcc && %t/plain.clang && env VINYL_IO=async %t/plain.gcc
// RUN: %t/logged.gcc > %t/out && env VINYL_IO=async %t/logged.clang >> %t/out
// RUN: FileCheck %s --check-prefix=OUT --input-file=%t/out

// CHECK:      inline vinyl::task<void> close_conn_async(Conn &c) {
// CHECK-NEXT:   if (c.fd >= 0) {
// CHECK-NEXT: #ifdef WITH_LOG
// CHECK-NEXT:     co_await vinyl::io::write(1, "bye\n", 4);
// CHECK-NEXT: #endif
// CHECK-NEXT:     c.fd = -1;
// CHECK-NEXT:   }
// CHECK-NEXT:   co_return;
// CHECK-NEXT: }

// OUT: bye
// OUT-NEXT: bye

//--- conn.hpp
#pragma once
#include <unistd.h>
struct Conn {
  int fd = 0;
};
inline void close_conn(Conn &c) {
  if (c.fd >= 0) {
#ifdef WITH_LOG
    write(1, "bye\n", 4);
#endif
    c.fd = -1;
  }
}
//--- plain.cpp
#include "conn.hpp"
int main() {
  Conn c;
  close_conn(c);
  return c.fd == -1 ? 0 : 1;
}
//--- logged.cpp
#include "conn.hpp"
int main() {
  Conn c;
  close_conn(c);
  return c.fd == -1 ? 0 : 1;
}
