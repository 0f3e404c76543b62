// An override that reaches I/O but overrides a virtual function declared
// outside the paths (here a third-party header) cannot change its type:
// callers through the outside base expect an int. It stays synchronous,
// its read blocking, with a located warning that names the base; --check
// reports the same warning, not a function to convert.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t src/a.cpp -- -I%t/third_party
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl -p %t %t/src; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: diff -r %t.orig %t
// RUN: sh -c '%vinyl -p %t --check %t/src; echo "exit=$?"' > %t.check.out 2> %t.check.err
// RUN: FileCheck %s --input-file=%t.check.err --implicit-check-not=vinyl-needs-async

// EXIT: exit=0

// CHECK:      src/a.cpp:5:7: warning: override 'Mine::next' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade), and in async mode it blocks the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: src/a.cpp:5:7: note: it overrides 'lib::Source::next', which is declared outside the paths: callers through it expect the old type
// CHECK-NEXT: src/a.cpp:7:5: note: 'Mine::next' calls 'read' here

//--- third_party/lib.h
#pragma once
namespace lib {
struct Source {
  virtual ~Source() = default;
  virtual int next() = 0;
};
} // namespace lib
//--- src/a.cpp
#include <lib.h>
#include <unistd.h>

struct Mine : lib::Source {
  int next() override {
    char c = 0;
    ::read(0, &c, 1);
    return c;
  }
};
