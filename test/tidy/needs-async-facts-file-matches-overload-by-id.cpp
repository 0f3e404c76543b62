// A facts entry with an id (the USR the library's functionId gives) names
// one overload; its namesake with other parameters is not reported.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t
// RUN: %check_tidy %t/a.cpp vinyl-needs-async %t/fixed.cpp --config="{CheckOptions: {FactsFile: '%t/facts.yaml'}}"

//--- facts.yaml
functions:
  - { id: 'c:@N@io@F@get#I#', name: io::get }

//--- a.cpp
namespace io {
int get(int fd) { return fd; }
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'io::get' must become a coroutine
int get(double x) { return int(x); }
} // namespace io
