// Coroutine templates are checked in their pattern, once however often they
// are instantiated, and coroutine lambdas (generic ones too) like functions.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-call-in-coroutine %t.cpp
// RUN: %compile-both %t.cpp

#include <unistd.h>
#include <vinyl/vinyl.hpp>

template <class T> vinyl::task<T> get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call to 'read' in coroutine 'get' stalls every task on this thread; use 'co_await vinyl::io::read' [vinyl-blocking-call-in-coroutine]
  // CHECK-FIXES: co_await vinyl::io::read(fd, &c, 1);
  co_return T(c);
}

vinyl::task<long> use(int fd) {
  auto one = [](int f) -> vinyl::task<long> {
    char c = 0;
    co_return ::read(f, &c, 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: blocking call to 'read' in coroutine 'lambda'
    // CHECK-FIXES: co_return co_await vinyl::io::read(f, &c, 1);
  };
  auto any = [](auto f) -> vinyl::task<long> {
    char c = 0;
    co_return ::read(f, &c, 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: blocking call to 'read' in coroutine 'lambda'
    // CHECK-FIXES: co_return co_await vinyl::io::read(f, &c, 1);
  };
  co_return co_await get<int>(fd) + co_await get<long>(fd) +
            co_await one(fd) + co_await any(fd);
}
