// A facade, `T f(args) { return vinyl::block_on(f_async(args)); }`, called
// in a coroutine is a blocking wait in disguise: its async twin is awaited
// instead, whether the facade is free, qualified or a member.
// REQUIRES: clang-tidy
// RUN: %check_tidy %s vinyl-blocking-wait-in-coroutine %t.cpp
// RUN: %compile-both %t.cpp

#include <string>
#include <utility>
#include <vinyl/vinyl.hpp>

vinyl::task<int> load_async(int key) { co_return key; }
int load(int key) { return vinyl::block_on(load_async(key)); }

namespace store {
vinyl::task<> save_async(std::string value) { co_return (void)value; }
void save(std::string value) { return vinyl::block_on(save_async(std::move(value))); }
} // namespace store

struct Conn {
  vinyl::task<std::string> line_async() { co_return "ok"; }
  std::string line() { return vinyl::block_on(line_async()); }
};

vinyl::task<int> serve(Conn &c, int key) {
  int v = load(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'load' is a blocking facade over 'load_async'; in coroutine 'serve', co_await 'load_async' instead [vinyl-blocking-wait-in-coroutine]
  // CHECK-FIXES: int v = co_await load_async(key);
  store::save("x");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'store::save' is a blocking facade over 'store::save_async'; in coroutine 'serve', co_await 'store::save_async' instead
  // CHECK-FIXES: co_await store::save_async("x");
  auto n = c.line().size();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'Conn::line' is a blocking facade over 'Conn::line_async'
  // CHECK-FIXES: auto n = (co_await c.line_async()).size();
  co_return v + int(n);
}
