// With twins (`facades: { twins: true }`) a function that a thread runs
// gets no synchronous twin: the thread becomes `vinyl::spawn(f, a)`, and a
// second overload of f would leave spawn nothing to deduce its callable
// from (the converted unit would not compile). A free function and a
// member. Nor does a function that only those call (`skip_one`): no
// facade runs its twin and no twin calls it, so it would be dead code (an
// unused static function, which -Werror refuses). `first_byte`, which
// main calls through its facade, keeps its twin, and so does `read_one`,
// which that twin calls. --explain says why; both compilers, both modes,
// and --check is clean.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl --explain handle %t > %t.explain
// RUN: %vinyl --explain Worker::run %t >> %t.explain
// RUN: %vinyl --explain skip_one %t >> %t.explain
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t.explain
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: %vinyl --check %t

// CHECK-NOT:  skip_one(vinyl::twin_t
// CHECK-NOT:  handle(vinyl::twin_t
// CHECK-NOT:  run(vinyl::twin_t
// CHECK:      static void read_one(vinyl::twin_t, char &c) { ::read(0, &c, 1); }
// CHECK:      int first_byte(vinyl::twin_t) {
// CHECK:        auto t = vinyl::spawn(handle, 'a');
// CHECK:        auto u = vinyl::spawn(&Worker::run, &w);

// EXPLAIN: handle (a.cpp:[[#]]:[[#]]) is async, with no synchronous twin (a thread runs it, and a second overload would make the callable it is given ambiguous)
// EXPLAIN: Worker::run (a.cpp:[[#]]:[[#]]) is async, with no synchronous twin (a thread runs it, and a second overload would make the callable it is given ambiguous)
// EXPLAIN: skip_one (a.cpp:[[#]]:[[#]]) is async, with no synchronous twin (no facade runs it and no other twin calls it)

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true, twins: true }
//--- input.txt
wxyz
//--- a.cpp
#include <cstdio>
#include <thread>
#include <unistd.h>

static void read_one(char &c) { ::read(0, &c, 1); }

static void skip_one() {
  char c = 0;
  ::read(0, &c, 1);
}

int first_byte() {
  char c = 0;
  read_one(c);
  return c;
}

static void handle(char tag) {
  char c = 0;
  read_one(c);
  skip_one();
  std::printf("%c%c\n", tag, c);
}

struct Worker {
  char got = 0;
  void run() { read_one(got); }
};

int main() {
  std::printf("%c\n", first_byte());
  std::thread t(handle, 'a');
  t.join();
  Worker w;
  std::thread u(&Worker::run, &w);
  u.join();
  std::printf("%c\n", w.got);
}
