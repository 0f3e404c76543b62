// A function with C language linkage that reaches I/O keeps its C symbol as
// a blocking facade (C callers cannot await), whether the linkage comes from
// a specifier or from an `extern "C" { }` block; the coroutine gets C++
// linkage, since it returns a class: the specifier is dropped from it, or it
// is declared `extern "C++"` inside the block.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/api.h
// RUN: FileCheck %s --check-prefix=A --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=B --match-full-lines --input-file=%t/b.cpp
// RUN: %compile-both %t/a.cpp %t/b.cpp
// RUN: %gxx %cxxflags -c %t/a.cpp -o %t/a.o && %gxx %cxxflags -c %t/b.cpp -o %t/b.o
// RUN: nm %t/a.o %t/b.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: %vinyl --check %t

// HDR:      vinyl::task<int> get_byte_async(int fd);
// HDR-NEXT: extern "C" int get_byte(int fd);
// HDR-NEXT: extern "C" {
// HDR-NEXT: extern "C++" vinyl::task<int> get_word_async(int fd);
// HDR-NEXT: int get_word(int fd);
// HDR-NEXT: }

// A:      vinyl::task<int> get_byte_async(int fd) {
// A:      extern "C" int get_byte(int fd) {
// A-NEXT:   return vinyl::block_on(get_byte_async(fd));
// A-NEXT: }

// B:        co_return s + co_await get_byte_async(fd);
// B:      int get_word(int fd) {
// B-NEXT:   return vinyl::block_on(get_word_async(fd));
// B-NEXT: }

// The C symbols stay unmangled; the coroutines are C++ functions.
// SYMBOLS-DAG: T get_byte
// SYMBOLS-DAG: T get_word
// SYMBOLS-DAG: T _Z14get_byte_asynci
// SYMBOLS-DAG: T _Z14get_word_asynci

//--- api.h
#pragma once
#include <unistd.h>
extern "C" int get_byte(int fd);
extern "C" {
int get_word(int fd);
}
//--- a.cpp
#include "api.h"
extern "C" int get_byte(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
//--- b.cpp
#include "api.h"
int get_word(int fd) {
  short s = 0;
  ::read(fd, &s, 2);
  return s + get_byte(fd);
}
