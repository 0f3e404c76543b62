// g++ 12 destroys the members of a braced aggregate of a class with a
// destructor twice when the full-expression suspends (a double free at
// run time; clang++ is fine). For g++ the statement is rewritten so that
// no aggregate shares a full-expression with an await: calls inside the
// aggregate go first, in order, each into a `decltype(auto)` variable
// that the aggregate then takes (`Rec r{word(fd), num(fd)}`); an aggregate
// an awaited call takes goes first into a variable (`send(fd, Msg{"host",
// 1})`). A statement where an await stands beside the aggregate is still
// refused, saying why. The program runs under ASan with both compilers,
// in both modes, and prints what the original prints.
// RUN: rm -rf %t %t.refused && split-file %s %t && %mkdb %t a.cpp
// RUN: mkdir %t.refused && cp %t/refused.cpp %t.refused/a.cpp && %mkdb %t.refused a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: not %vinyl %t.refused 2> %t/refused.err
// RUN: FileCheck %s --check-prefix=REFUSED --input-file=%t/refused.err

// CHECK:   decltype(auto) vinyl_t28_1 = co_await num(fd); decltype(auto) vinyl_t28_2 = co_await word(fd); Rec r{static_cast<decltype(vinyl_t28_1) &&>(vinyl_t28_1), static_cast<decltype(vinyl_t28_2) &&>(vinyl_t28_2)};
// CHECK:     { decltype(auto) vinyl_t31_1 = co_await num(fd); co_return Rec{static_cast<decltype(vinyl_t31_1) &&>(vinyl_t31_1), "x"}.id; }
// CHECK: vinyl::task<long> post_async(int fd) { { auto vinyl_a35 = Msg{"host", 1}; co_return co_await send(fd, std::move(vinyl_a35)); } }

// REFUSED: a.cpp:13:32: error: call of 'num' cannot be awaited: its full-expression aggregate-initialises 'Rec' with braces, which g++ 12 miscompiles next to co_await (its members are destroyed twice); hoist the awaited call, or the braced object, into a variable of its own (it cannot be done here: a call to await outside the aggregate shares its statement) [vinyl-cannot-convert]

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
5ab7
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>

struct Rec {
  int id;
  std::string name;
};
struct Msg {
  std::string host;
  int port;
};

static std::string word(int fd) {
  char c[3] = {0, 0, 0};
  ::read(fd, c, 2);
  return c;
}
static int num(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c - '0';
}
static long send(int fd, const Msg &m) { return ::write(fd, m.host.data(), 0) + m.port; }

int load(int fd) {
  std::printf("loading\n");
  Rec r{num(fd), word(fd)};
  std::printf("%d %s\n", r.id, r.name.c_str());
  if (r.id > 0)
    return Rec{num(fd), "x"}.id;
  return 0;
}

long post(int fd) { return send(fd, Msg{"host", 1}); }

int main() {
  int a = load(0);
  std::printf("%d %ld\n", a, post(1));
}
//--- refused.cpp
#include <string>
#include <unistd.h>

struct Rec {
  int id;
  std::string name;
};
static int num(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}
int twice(int fd) { return Rec{num(fd), "x"}.id + num(fd); }
