// A pure virtual function whose return type already is the task type was
// converted by an earlier run (it has no body to show it is a coroutine):
// a second run changes nothing and --check exits 0.
// RUN: rm -rf %t %t.once && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: cp -r %t %t.once
// RUN: %vinyl --check %t
// RUN: %vinyl %t
// RUN: diff -r %t.once %t
// RUN: %compile-both %t/a.cpp

// CHECK: struct Stream { virtual ~Stream() = default; virtual vinyl::task<int> get() = 0; };

//--- a.cpp
#include <unistd.h>
struct Stream { virtual ~Stream() = default; virtual int get() = 0; };
struct Fd : Stream {
  int fd = 0;
  int get() override { char c = 0; return ::read(fd, &c, 1) == 1 ? c : -1; }
};
int first(Stream &s) { return s.get(); }
