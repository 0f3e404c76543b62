// The shape the CLI leaves behind: a header declares a member's coroutine
// and its facade, another file defines them. A coroutine (here in an
// anonymous namespace, which messages leave out) that calls the facade is
// fixed to await the coroutine.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t
// RUN: %check_tidy %t/parser.cpp vinyl-blocking-wait-in-coroutine %t/fixed.cpp -- -I%t
// RUN: %compile-both -I%t %t/fixed.cpp

//--- reader.h
#include <vinyl/vinyl.hpp>
class Reader {
public:
  vinyl::task<int> peek_async();
  int peek();
};

//--- parser.cpp
#include "reader.h"
namespace {
vinyl::task<bool> at_sign(Reader &in) {
  co_return in.peek() == '-';
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'Reader::peek' is a blocking facade over 'Reader::peek_async'; in coroutine 'at_sign', co_await 'Reader::peek_async' instead [vinyl-blocking-wait-in-coroutine]
  // CHECK-FIXES: co_return co_await in.peek_async() == '-';
}
} // namespace
vinyl::task<bool> starts_negative(Reader &in) { co_return co_await at_sign(in); }
