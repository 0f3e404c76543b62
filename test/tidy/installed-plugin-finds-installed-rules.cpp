// `cmake --install` puts the plugin in the prefix's library directory and
// the vinyl-clang-tidy wrapper in bin/; the installed plugin finds the
// installed rules relative to itself.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && %cmake --install %vinyl_build --prefix %t/prefix > %t.log
// RUN: %clang_tidy -load %t/prefix/lib/libVinylTidy.so --checks='-*,vinyl-*' %s -- -std=c++20 -I%t/prefix/include 2>&1 | FileCheck %s
// RUN: %t/prefix/bin/vinyl-clang-tidy --checks='-*,vinyl-*' %s -- -std=c++20 -I%t/prefix/include 2>&1 | FileCheck %s

#include <unistd.h>
#include <vinyl/vinyl.hpp>

vinyl::task<long> get(int fd) {
  char c = 0;
  co_return ::read(fd, &c, 1);
  // CHECK: installed-plugin-finds-installed-rules.cpp:[[@LINE-1]]:13: warning: blocking call to 'read' in coroutine 'get' stalls every task on this thread; use 'co_await vinyl::io::read' [vinyl-blocking-call-in-coroutine]
}
