// Synchronous code that waits for a task, hands it on, calls a facade, or
// only calls synchronous functions is fine as it is: silent. So is a
// coroutine (vinyl-unawaited-task covers it).
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-needs-async %t.cpp

#include <utility>
#include <vector>
#include <vinyl/vinyl.hpp>

vinyl::task<int> fetch(int key) { co_return key; }
int fetch_sync(int key) { return vinyl::block_on(fetch(key)); }
int plain(int key) { return key; }

std::vector<vinyl::task<int>> batch(int n) {
  std::vector<vinyl::task<int>> out;
  for (int i = 0; i < n; ++i)
    out.push_back(fetch(i));
  return out;
}

int run_all(int n) {
  auto pending = fetch(n);
  int sum = vinyl::block_on(std::move(pending));
  for (auto &t : batch(n))
    sum += vinyl::block_on(std::move(t));
  return sum + fetch_sync(n) + plain(n);
}

vinyl::task<int> inside(int key) {
  fetch(key);
  co_return key;
}

int main() { return run_all(3) + vinyl::block_on(inside(1)); }
