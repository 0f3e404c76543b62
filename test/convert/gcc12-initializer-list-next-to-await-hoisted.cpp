// g++ 12 cannot compile a std::initializer_list in a full-expression that
// contains co_await ("array used as initializer"). A braced list that an
// awaited call takes (`query(c, {"a", "b"})`, a std::vector or a
// std::initializer_list parameter, braces alone or with their type
// written) goes first, into a variable of the type the braces make, and
// the call takes it with std::move. A list in an operand that may not be
// evaluated is still refused, saying why. The converted program builds
// with both compilers and prints what the original prints, in both modes.
// RUN: rm -rf %t %t.refused && split-file %s %t && %mkdb %t a.cpp
// RUN: mkdir %t.refused && cp %t/refused.cpp %t.refused/a.cpp && %mkdb %t.refused a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: %vinyl --check %t
// RUN: not %vinyl %t.refused 2> %t/refused.err
// RUN: FileCheck %s --check-prefix=REFUSED --input-file=%t/refused.err

// CHECK: static vinyl::task<int> ping(int fd) { { std::vector<std::string> vinyl_l20_1 = {"PING", "x"}; co_return co_await call(fd, std::move(vinyl_l20_1)); } }
// CHECK:   std::initializer_list<int> vinyl_l22_1 = {1, 2, 3}; int n = co_await sum_of(fd, std::move(vinyl_l22_1));
// CHECK:   { auto vinyl_l23_1 = std::vector<std::string>{"a", "b", "c"}; n += co_await call(fd, std::move(vinyl_l23_1)); }

// REFUSED: a.cpp:13:21: error: call of 'call' cannot be awaited: its full-expression builds a std::initializer_list, which g++ 12 cannot compile next to co_await ('array used as initializer'); hoist the braced list into a variable (it cannot be done here: the braced list is in an operand that may not be evaluated) [vinyl-cannot-convert]

//--- input.txt
abcdefgh
//--- a.cpp
#include <cstdio>
#include <initializer_list>
#include <string>
#include <unistd.h>
#include <vector>

static int call(int fd, const std::vector<std::string> &words) {
  char c = 0;
  ::read(fd, &c, 1);
  return c + static_cast<int>(words.size());
}
static int sum_of(int fd, std::initializer_list<int> xs) {
  char c = 0;
  ::read(fd, &c, 1);
  int n = c;
  for (int x : xs)
    n += x;
  return n;
}
static int ping(int fd) { return call(fd, {"PING", "x"}); }
int run(int fd) {
  int n = sum_of(fd, {1, 2, 3});
  n += call(fd, std::vector<std::string>{"a", "b", "c"});
  return n + ping(fd);
}
int main() { std::printf("%d\n", run(0)); }
//--- refused.cpp
#include <string>
#include <unistd.h>
#include <vector>

static int call(const std::vector<std::string> &words) {
  char c = 0;
  ::read(0, &c, words.size());
  return c;
}
int use(bool flag);
int main(int argc, char **) { return use(argc > 1); }
int use(bool flag) {
  return flag ? 1 : call({"x"});
}
