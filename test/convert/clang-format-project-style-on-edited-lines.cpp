// The project's .clang-format is honoured on the lines the tool writes or
// edits (here 4-space indents, pointers to the left, 60 columns), not the
// LLVM style the tool's own text is written in: the facade body is indented
// by 4, edited lines that grow past the limit are wrapped (the
// signature, the read), and the lines
// the tool did not touch keep their text even where they break the style.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --strict-whitespace --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp
// RUN: %vinyl --check %t

//      CHECK:int   untouched  (int x)   { return x  *  2 ; }
// CHECK-EMPTY:
// CHECK-NEXT:vinyl::task<long> fill_async(int fd, char* buffer,
// CHECK-NEXT:                             long size) {
// CHECK-NEXT:    long got = 0;
// CHECK-NEXT:    while (got < size) {
// CHECK-NEXT:        long n = co_await vinyl::io::read(fd, buffer + got,
// CHECK-NEXT:                                          size - got);
// CHECK-NEXT:        if (n <= 0) break;
// CHECK-NEXT:        got += n;
// CHECK-NEXT:    }
// CHECK-NEXT:    co_return got;
// CHECK-NEXT:}
// CHECK-EMPTY:
// CHECK-NEXT:long fill(int fd, char* buffer, long size) {
// CHECK-NEXT:    return vinyl::block_on(fill_async(fd, buffer, size));
// CHECK-NEXT:}

//--- .clang-format
BasedOnStyle: LLVM
IndentWidth: 4
PointerAlignment: Left
ColumnLimit: 60
AllowShortIfStatementsOnASingleLine: WithoutElse
//--- fill.h
long fill(int fd, char* buffer, long size);
//--- a.cpp
#include "fill.h"
#include <unistd.h>

int   untouched  (int x)   { return x  *  2 ; }

long fill(int fd, char* buffer, long size) {
    long got = 0;
    while (got < size) {
        long n = ::read(fd, buffer + got, size - got);
        if (n <= 0) break;
        got += n;
    }
    return got;
}
