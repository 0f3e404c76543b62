// Each changed file, source or header, gains `#include <vinyl/vinyl.hpp>`
// exactly once, however many functions in it change; an unchanged file
// gains nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: cp %t/b.cpp %t/b.orig
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/api.h
// RUN: diff %t/b.orig %t/b.cpp
// RUN: %compile-both %t/a.cpp %t/b.cpp

// CHECK:      #include "api.h"
// CHECK-NEXT: #include <unistd.h>
// CHECK-NEXT: #include <vinyl/vinyl.hpp>
// CHECK-NOT:  #include <vinyl/vinyl.hpp>

// HDR:      #pragma once
// HDR-NEXT: #include <vinyl/vinyl.hpp>
// HDR-NOT:  #include <vinyl/vinyl.hpp>

//--- api.h
#pragma once
int one(int fd);
int two(int fd);
//--- a.cpp
#include "api.h"
#include <unistd.h>

int one(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

int two(int fd) { return one(fd) + one(fd); }

static int three(int fd) { return two(fd) + one(fd); }

int four(int fd) { return three(fd); }
//--- b.cpp
int unrelated(int x) { return x + 1; }
