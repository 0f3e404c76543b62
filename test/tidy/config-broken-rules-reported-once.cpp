// A .vinyl.yaml with an error is reported once, located, and turns the
// vinyl checks off rather than checking against half the rules.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t
// RUN: %check_tidy %t/a.cpp 'vinyl-*' %t/fixed.cpp

//--- .vinyl.yaml
leaves:
  - { name: "db::query" }

//--- a.cpp
// CHECK-MESSAGES: warning: {{.*}}.vinyl.yaml:2:7: leaf 'db::query' needs a non-empty 'replacement' (or 'offload: true'); the vinyl checks are off [clang-tidy-config]
#include <unistd.h>
#include <vinyl/vinyl.hpp>
vinyl::task<long> get(int fd) {
  char c = 0;
  co_return ::read(fd, &c, 1);
}
