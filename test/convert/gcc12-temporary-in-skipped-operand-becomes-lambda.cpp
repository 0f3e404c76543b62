// g++ 12 makes the class temporaries of a full-expression that suspends
// before its first await, also those of an operand that may be skipped:
// `co_await next(fd) != 1 || std::string(buf, n) != line` would build the
// string from the `n` of before the read, and `ok && std::string(p)`
// would build it from a null `p`. Such an operand (the right of && or ||,
// a branch of a scalar ?:) becomes a lambda called in place, in every
// statement context, in a template too (where the cast to bool does not
// depend on one instantiation). An operand with a call that becomes
// awaited stays as written (a lambda cannot await; g++ orders that one
// right). The converted program builds with both
// compilers and prints what the original prints, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: %vinyl --check %t

// CHECK:   if (co_await next(fd) != 1 || [&]() -> bool { return std::string(buf, n) != "x"; }())
// CHECK:   co_return co_await next(fd) == 1 && p && [&]() -> bool { return std::string(p) == "y"; }();
// CHECK:   int v = co_await next(fd) > 0 ? [&]() { return std::string(n > 1 ? "ab" : "abc").size(); }() : 0;
// CHECK:   while (co_await next(fd) == 1 && [&]() -> bool { return static_cast<bool>(Token(n)); }())
// CHECK:   co_return co_await next(fd) == 1 || [&]() -> bool { return static_cast<bool>(T(n)); }();
// CHECK:   if (co_await next(fd) != 1 || std::string(buf, 1) != co_await word(fd))

//--- input.txt
abcdefghijkl
//--- a.cpp
#include <cstdio>
#include <string>
#include <unistd.h>

static int n = 0;
// Reads a byte and sets n to how many it has read so far.
static int next(int fd) {
  char c = 0;
  int r = static_cast<int>(::read(fd, &c, 1));
  n += r;
  return r;
}
struct Token {
  int v;
  explicit Token(int x) : v(x) {}
  ~Token() {}
  explicit operator bool() const { return v < 4; }
};
static int stale(int fd) {
  char buf[] = "xxxx";
  if (next(fd) != 1 || std::string(buf, n) != "x")
    return 1;
  return 0;
}
static bool guarded(int fd, const char *p) {
  return next(fd) == 1 && p && std::string(p) == "y";
}
static int branch(int fd) {
  int v = next(fd) > 0 ? std::string(n > 1 ? "ab" : "abc").size() : 0;
  return v;
}
static int loop(int fd) {
  int k = 0;
  while (next(fd) == 1 && Token(n))
    ++k;
  return k;
}
template <class T> bool generic(int fd) {
  return next(fd) == 1 || T(n);
}
static std::string word(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return std::string(1, c);
}
static int mixed(int fd) {
  char buf[] = "bxxx";
  if (next(fd) != 1 || std::string(buf, 1) != word(fd))
    return 1;
  return 0;
}
int main() {
  int g = mixed(0);
  int a = stale(0);
  int b = guarded(0, nullptr);
  int c = guarded(0, "y");
  int d = branch(0);
  int e = loop(0);
  int f = generic<Token>(0);
  std::printf("%d %d %d %d %d %d %d n=%d\n", g, a, b, c, d, e, f, n);
}
