// A task that is awaited, handed to a function or a container, moved,
// returned, used later, or deliberately cast to void has an owner: silent.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-unawaited-task %t.cpp

#include <utility>
#include <vector>
#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key; }
void keep(vinyl::task<int> t) { (void)vinyl::block_on(std::move(t)); }

vinyl::task<int> owners(int key) {
  int a = co_await fetch(key);
  keep(fetch(key));
  std::vector<vinyl::task<int>> later;
  later.push_back(fetch(key));
  auto t = fetch(key);
  int b = co_await std::move(t);
  (void)fetch(key);
  for (auto &p : later)
    a += co_await std::move(p);
  co_return a + b;
}

vinyl::task<vinyl::task<int>> nested(int key) { co_return fetch(key); }
