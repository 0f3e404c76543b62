// vinyl::block_on in a coroutine blocks the thread the loop runs on: the
// task is awaited instead, parenthesised where the call is the object of a
// postfix operator or its operand is not a single term.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-wait-in-coroutine %t.cpp
// RUN: %compile-both %t.cpp

#include <string>
#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key; }
vinyl::task<std::string> name(int key) { co_return std::to_string(key); }

vinyl::task<int> total(int key, bool fast) {
  int a = vinyl::block_on(fetch(key));
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'vinyl::block_on' in coroutine 'total' blocks the thread until the task finishes; co_await the task instead [vinyl-blocking-wait-in-coroutine]
  // CHECK-FIXES: int a = co_await fetch(key);
  auto size = vinyl::block_on(name(key)).size();
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'vinyl::block_on' in coroutine 'total'
  // CHECK-FIXES: auto size = (co_await name(key)).size();
  int b = vinyl::block_on(fast ? fetch(1) : fetch(2));
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'vinyl::block_on' in coroutine 'total'
  // CHECK-FIXES: int b = co_await (fast ? fetch(1) : fetch(2));
  co_return a + b + int(size);
}
