// The leaves come from the library's rules loading, as for the CLI: the
// project's .vinyl.yaml found upward from the file adds and removes leaves,
// and the RulesFiles option adds more (relative to the build directory).
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t
// RUN: %check_tidy %t/src/a.cpp vinyl-blocking-call-in-coroutine %t/src/fixed.cpp --config="{CheckOptions: {RulesFiles: '%t/extra.yaml'}}"
// RUN: %compile-both -I%t/src %t/src/fixed.cpp

//--- src/.vinyl.yaml
leaves:
  - { name: "db::query", replacement: "db::query_async" }
remove_leaves: [write]

//--- extra.yaml
leaves:
  - { name: "db::ping", replacement: "db::ping_async" }

//--- src/db.h
#include <vinyl/vinyl.hpp>
namespace db {
int query(int q);
vinyl::task<int> query_async(int q);
void ping();
vinyl::task<> ping_async();
} // namespace db

//--- src/a.cpp
// db.h brings the runtime in: no second #include of it.
// CHECK-FIXES-NOT: #include <vinyl/vinyl.hpp>
#include "db.h"
#include <unistd.h>

vinyl::task<int> lookup(int fd, int q) {
  int rows = db::query(q);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: blocking call to 'db::query' in coroutine 'lookup' stalls every task on this thread; use 'co_await db::query_async' [vinyl-blocking-call-in-coroutine]
  // CHECK-FIXES: int rows = co_await db::query_async(q);
  db::ping();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'db::ping' in coroutine 'lookup' stalls every task on this thread; use 'co_await db::ping_async'
  // CHECK-FIXES: co_await db::ping_async();
  char c = 'x';
  if (::write(fd, &c, 1) < 0)
    co_return -1;
  co_return rows;
}
