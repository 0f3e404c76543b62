// Blocking waits belong in synchronous code: main, the facades themselves,
// a synchronous lambda inside a coroutine. None is reported.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-wait-in-coroutine %t.cpp

#include <vinyl/vinyl.hpp>

vinyl::task<int> load_async(int key) { co_return key; }
int load(int key) { return vinyl::block_on(load_async(key)); }
int plain(int key) { return key + 1; }

vinyl::task<int> serve(int key) {
  auto sync = [key] { return load(key) + vinyl::block_on(load_async(key)); };
  co_return plain(key) + sync() + co_await load_async(key);
}

int main() { return load(1) + vinyl::block_on(serve(2)); }
