// An override that reaches I/O but overrides a virtual function declared
// outside the paths (here a third-party header) cannot change its type:
// callers through the outside base expect an int. It stays synchronous,
// its read waiting for the awaitable in place, with a located warning that
// names the base; --check on the code as written reports the same warning,
// not a function to convert, and on the converted code nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t src/a.cpp -- -I%t/third_party
// RUN: sh -c '%vinyl -p %t --check %t/src; echo "exit=$?"' > %t.check.out 2> %t.check.err
// RUN: FileCheck %s --input-file=%t.check.err --implicit-check-not=vinyl-needs-async
// RUN: sh -c '%vinyl -p %t %t/src; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --check-prefix=CODE --input-file=%t/src/a.cpp
// RUN: not %vinyl -p %t --check %t/src 2> %t.fixpoint
// RUN: FileCheck %s --check-prefix=FIXPOINT --input-file=%t.fixpoint

// After the conversion --check says the fallback warnings again.
// FIXPOINT: a.cpp:6:7: warning: override 'Mine::next' reaches blocking I/O but cannot become a coroutine: {{.*}} [vinyl-blocking-fallback]
// FIXPOINT-NEXT: a.cpp:6:7: note: it overrides 'lib::Source::next', which is declared outside the paths: callers through it expect the old type
// FIXPOINT-NEXT: a.cpp:8:5: note: 'Mine::next' waits with 'vinyl::block_on' here
// FIXPOINT-NEXT: 1 problem found (warnings)

// EXIT: exit=0

// CHECK:      src/a.cpp:5:7: warning: override 'Mine::next' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: src/a.cpp:5:7: note: it overrides 'lib::Source::next', which is declared outside the paths: callers through it expect the old type
// CHECK-NEXT: src/a.cpp:7:5: note: 'Mine::next' calls 'read' here

// CODE: vinyl::block_on(vinyl::io::read(0, &c, 1));

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
