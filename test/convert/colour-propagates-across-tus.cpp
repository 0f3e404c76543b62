// A function is async when it calls an async function defined in another
// translation unit; the shared header's declarations change with it.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t io.cpp logic.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/io.h
// RUN: FileCheck %s --check-prefix=LOGIC --match-full-lines --input-file=%t/logic.cpp
// RUN: %compile-both %t/io.cpp %t/logic.cpp


// HDR:      vinyl::task<int> get_byte_async(int fd);
// HDR-NEXT: int get_byte(int fd);
// HDR-NEXT: vinyl::task<int> get_pair_async(int fd);
// HDR-NEXT: int get_pair(int fd);

// LOGIC:      vinyl::task<int> get_pair_async(int fd) {
// LOGIC-NEXT:   co_return co_await get_byte_async(fd) * 256 + co_await get_byte_async(fd);
// LOGIC-NEXT: }
// LOGIC-EMPTY:
// LOGIC-NEXT: int get_pair(int fd) {
// LOGIC-NEXT:   return vinyl::block_on(get_pair_async(fd));
// LOGIC-NEXT: }

//--- io.h
#pragma once
int get_byte(int fd);
int get_pair(int fd);
//--- io.cpp
#include "io.h"
#include <unistd.h>
int get_byte(int fd) {
  unsigned char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}
//--- logic.cpp
#include "io.h"
int get_pair(int fd) {
  return get_byte(fd) * 256 + get_byte(fd);
}
