// A facts file that does not parse is reported at the offending node, once;
// the single-TU part of the check keeps working.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t
// RUN: %check_tidy %t/a.cpp vinyl-needs-async %t/fixed.cpp --config="{CheckOptions: {FactsFile: '%t/facts.yaml'}}"

//--- facts.yaml
functions:
  - { id: 'c:@F@f#', async: true }

//--- a.cpp
// CHECK-MESSAGES: warning: {{.*}}facts.yaml:2:7: missing required key 'name'; whole-program verdicts are off [clang-tidy-config]
#include <vinyl/vinyl.hpp>
vinyl::task<> ping() { co_return; }
void f() { ping(); }
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'f' is synchronous but calls the async function 'ping'
