// g++ 12 destroys a class temporary made by ?: twice when its
// full-expression suspends (a double free at run time). A statement
// becomes an if around copies of itself (see
// gcc-conditional-temporary-next-to-await-becomes-if.cpp), but a variable's
// initialiser cannot be copied, so a call that would be awaited there is
// refused with the fix (hoist the ?:), exit 2 and nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK: a.cpp:10:12: error: call of 'post' cannot be awaited: its full-expression makes a class temporary with ?:, which g++ 12 destroys twice next to co_await; hoist the ?: into a variable [vinyl-cannot-convert]
// CHECK: a.cpp:5:10: note: 'post' calls 'write' here

//--- a.cpp
#include <string>
#include <unistd.h>

long post(const std::string &s) {
  return ::write(1, s.data(), s.size());
}

long greet(bool formal, const std::string &name) {
  const std::string prefix = "Dear ";
  long n = post(formal ? prefix + name : "hi");
  return n;
}
