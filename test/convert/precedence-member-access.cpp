// `co_await` binds looser than postfix operators, so a call used as the
// object of `.`, `->`, `[]` or a call is parenthesised.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK: static vinyl::task<Reply> fetch(int fd) {
// CHECK:   co_return (co_await fetch(fd)).code + (co_await fetch(fd)).body[0];
// CHECK:   co_return (co_await fetch_ptr(fd))->code;
// CHECK:   co_return (co_await fetch_vec(fd))[1];
// CHECK-NOT: co_await co_await

//--- a.cpp
#include <unistd.h>
#include <vector>

struct Reply {
  int code = 0;
  char body[4] = {};
};

static Reply fetch(int fd) {
  Reply r;
  r.code = int(::read(fd, r.body, sizeof r.body));
  return r;
}

static Reply *fetch_ptr(int fd) {
  static Reply r;
  r = fetch(fd);
  return &r;
}

static std::vector<int> fetch_vec(int fd) {
  std::vector<int> v(2);
  v[1] = fetch(fd).code;
  return v;
}

int code_and_first(int fd) {
  return fetch(fd).code + fetch(fd).body[0];
}

int code_via_pointer(int fd) {
  return fetch_ptr(fd)->code;
}

int second(int fd) {
  return fetch_vec(fd)[1];
}
