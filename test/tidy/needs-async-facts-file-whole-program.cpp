// With the FactsFile option, functions the whole-program solve made async
// are reported at their definition, with the chain down to the leaf: at
// its place when the file is in this TU, as text otherwise. Facades and
// coroutines listed in the file are already what they must be: silent.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t && sed -i "s|@DIR@|%t|" %t/facts.yaml
// RUN: %check_tidy %t/a.cpp vinyl-needs-async %t/fixed.cpp --config="{CheckOptions: {vinyl-needs-async.FactsFile: '%t/facts.yaml'}}"

//--- facts.yaml
functions:
  - name: load
    why:
      - { file: "@DIR@/fixed.cpp", line: 10, column: 10, note: "'load' calls 'parse' here" }
      - { file: other.cpp, line: 3, column: 3, note: "'parse' calls 'read' here" }
  - { name: save, facade: true }
  - { name: get_byte }
  - { name: still_sync, async: false }

//--- a.cpp
#include <vinyl/vinyl.hpp>

int parse(int fd);

int load(int fd) {
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'load' must become a coroutine: the whole-program analysis found that it reaches blocking I/O [vinyl-needs-async]
  // CHECK-MESSAGES: fixed.cpp:10:10: note: 'load' calls 'parse' here
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: other.cpp:3:3: 'parse' calls 'read' here
  int n = 0;
  return parse(fd) + n;
}

void save(int fd) {
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: 'save' must become a coroutine: the whole-program analysis found that it reaches blocking I/O (its name stays, as a blocking facade) [vinyl-needs-async]
  (void)fd;
}

vinyl::task<int> get_byte(int fd) { co_return fd; }
int still_sync(int fd) { return fd; }
