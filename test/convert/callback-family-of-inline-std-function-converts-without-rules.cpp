// A std::function type written inline (a constructor's parameter, the
// field it is moved into, a function's parameter), with no callback_types
// rule: every value stored in it comes from the paths (a function and a
// lambda), so its places form a family. One member reads, so the type's
// result becomes a task at every place it is written, the members become
// coroutines (the lambda with `-> vinyl::task<int>`), calls through it are
// awaited, and the facade of count_lines takes the new type, since its
// callers pass the coroutines. The program prints the same with both
// compilers in both modes, and a second run finds nothing to do.
// RUN: rm -rf %t %t-twins && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t-twins && cp %t/twins.yaml %t-twins/.vinyl.yaml && %mkdb %t-twins a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: printf 'one\ntwo\nthree\n' | %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: not grep -v '^converted ' %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: printf 'one\ntwo\nthree\n' | %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: printf 'one\ntwo\nthree\n' | %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: printf 'one\ntwo\nthree\n' | env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: printf 'one\ntwo\nthree\n' | env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: cp %t/a.cpp %t/a.once && %vinyl %t && diff %t/a.once %t/a.cpp
// RUN: %vinyl --check %t
// With twins and fast paths, a function that writes the type keeps neither
// (a copy of its text would keep the old type); the rest still converts.
// RUN: %vinyl %t-twins --explain count_lines > %t/explain.txt
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t/explain.txt
// RUN: %vinyl %t-twins
// RUN: %build-both %t-twins/conv %t-twins/a.cpp -pthread
// RUN: printf 'one\ntwo\nthree\n' | %t-twins/conv.gcc > %t/twins.out && diff %t/orig.out %t/twins.out

// EXPLAIN: (anonymous namespace)::count_lines (a.cpp:34:5) is async, with a blocking facade, with no synchronous twin (it writes 'std::function<int(char *, int)>', which becomes a task type, and a copy of its text would not), with no ready path (it writes 'std::function<int(char *, int)>', which becomes a task type, and a copy of its text would not): 1 path to blocking I/O

// CHECK:      explicit LineSource(std::function<vinyl::task<int>(char *, int)> fill)
// CHECK-NEXT:     : fill_(std::move(fill)) {}
// CHECK:      vinyl::task<bool> next_line(std::string &line) {
// CHECK:            int n = co_await fill_(&c, 1);
// CHECK:        std::function<vinyl::task<int>(char *, int)> fill_;
// CHECK:      vinyl::task<int> fill_from_stdin(char *buf, int n) {
// CHECK-NEXT:   co_return static_cast<int>(co_await vinyl::io::read(0, buf, n));
// CHECK:      vinyl::task<int> count_lines_async(std::function<vinyl::task<int>(char *, int)> fill) {
// CHECK:      int count_lines(std::function<vinyl::task<int>(char *, int)> fill) {
// CHECK-NEXT:   return vinyl::block_on(count_lines_async(std::move(fill)));
// CHECK:        std::printf("stdin: %d lines\n", count_lines(fill_from_stdin));
// CHECK:        std::printf("text: %d lines\n", count_lines([&](char *buf, int n) -> vinyl::task<int> {
// CHECK-NEXT:                 if (pos == text.size() || n < 1)
// CHECK-NEXT:                   co_return 0;

// OUT:      stdin: 3 lines
// OUT-NEXT: text: 2 lines

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- twins.yaml
facades: { sync_main: true, twins: true }
fast_paths: true
//--- a.cpp
#include <cstdio>
#include <functional>
#include <string>
#include <unistd.h>

namespace {

class LineSource {
public:
  explicit LineSource(std::function<int(char *, int)> fill)
      : fill_(std::move(fill)) {}

  bool next_line(std::string &line) {
    line.clear();
    char c;
    for (;;) {
      int n = fill_(&c, 1);
      if (n != 1)
        return !line.empty();
      if (c == '\n')
        return true;
      line += c;
    }
  }

private:
  std::function<int(char *, int)> fill_;
};

int fill_from_stdin(char *buf, int n) {
  return static_cast<int>(::read(0, buf, n));
}

int count_lines(std::function<int(char *, int)> fill) {
  LineSource src(std::move(fill));
  std::string line;
  int n = 0;
  while (src.next_line(line))
    ++n;
  return n;
}

} // namespace

int main() {
  std::printf("stdin: %d lines\n", count_lines(fill_from_stdin));
  std::string text = "x\ny\n";
  size_t pos = 0;
  std::printf("text: %d lines\n", count_lines([&](char *buf, int n) {
                if (pos == text.size() || n < 1)
                  return 0;
                buf[0] = text[pos++];
                return 1;
              }));
}
