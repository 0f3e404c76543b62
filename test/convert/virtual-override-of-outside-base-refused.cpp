// An override that reaches I/O but overrides a virtual function declared
// outside the paths (here a third-party header) cannot change its type:
// callers through the outside base expect an int. Located error with the
// chain, exit 2, nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t src/a.cpp -- -I%t/third_party
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl -p %t %t/src; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK: a.cpp:5:7: error: 'Mine::next' reaches blocking I/O but overrides 'lib::Source::next', which is declared outside the paths: a call through it could not be awaited [vinyl-cannot-convert]
// CHECK: a.cpp:7:5: note: 'Mine::next' calls 'read' here

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
