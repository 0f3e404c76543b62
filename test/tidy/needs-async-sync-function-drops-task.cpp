// A synchronous function that calls an async function and drops the task
// (the task never runs) must become a coroutine. Converting it changes its
// callers too, so that is the CLI's job: no fix-it is applied by default.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-needs-async %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key; }

void warm(int key) {
  fetch(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'warm' is synchronous but calls the async function 'fetch' without awaiting it, so the task never runs; 'warm' must become a coroutine [vinyl-needs-async]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: or, to keep 'warm' synchronous, wait for the task with 'vinyl::block_on'
}

struct Cache {
  int prime(int key) {
    auto pending = fetch(key);
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'Cache::prime' is synchronous but calls the async function 'fetch' without awaiting it
    return key;
  }
};

vinyl::task<int> outer(int key) {
  auto later = [key] { fetch(key); };
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'lambda' is synchronous but calls the async function 'fetch' without awaiting it
  later();
  co_return key;
}
