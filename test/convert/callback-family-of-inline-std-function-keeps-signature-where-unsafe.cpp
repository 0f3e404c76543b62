// A std::function type written inline forms a family only where converting
// it cannot break code the tool does not rewrite. Here each of three such
// types cannot: a function of another library is stored as it (::abs), a
// value of it is handed to std::for_each, which would drop the tasks, and a
// public function declared in a header takes it (its facade keeps the old
// signature for callers the tool does not see). Each stays as written, the
// functions stored in them keep blocking facades, and each warning says
// why the type could not change. The conversion lands, compiles with both
// compilers and prints what the original printed.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: printf 'xyz' | %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines --input-file=%t/pump.h
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: printf 'xyz' | %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: printf 'xyz' | env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out

// WARN-DAG: a.cpp:41:32: warning: the address of 'read_byte' is taken here, and it reaches blocking I/O: {{.*}} (its type 'std::function<int(int)>' keeps its signature: 'abs', declared outside the paths, is stored as it at {{.*}}a.cpp:41:53) [vinyl-blocking-fallback]
// WARN-DAG: a.cpp:42:11: warning: the address of 'say' is taken here, {{.*}} (its type 'std::function<void(const std::string &)>' keeps its signature: a value of it is passed on at {{.*}}a.cpp:25:45, where its calls would not be awaited) [vinyl-blocking-fallback]
// WARN-DAG: a.cpp:43:29: warning: the address of 'read_some' is taken here, {{.*}} (its type 'std::function<long(int)>' keeps its signature: 'pump' takes or returns it and is public API, which keeps its signature (`facades: { policy: callers }` in .vinyl.yaml lets it change)) [vinyl-blocking-fallback]

// CHECK: static int apply(std::function<int(int)> f, int x) { return f(x); }
// CHECK: static void say_all(std::function<void(const std::string &)> out) {
// CHECK: long pump(std::function<long(int)> source, int fd) {

// HEADER: long pump(std::function<long(int)> source, int fd);

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- pump.h
#pragma once
#include <functional>

long pump(std::function<long(int)> source, int fd);
//--- a.cpp
#include "pump.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <unistd.h>
#include <vector>

static int read_byte(int fd) {
  char c;
  return ::read(fd, &c, 1) == 1 ? c : -1;
}

static int apply(std::function<int(int)> f, int x) { return f(x); }

static void say(const std::string &s) {
  if (::write(1, s.data(), s.size()) < 0)
    std::abort();
}

static void say_all(std::function<void(const std::string &)> out) {
  std::vector<std::string> lines = {"a\n", "b\n"};
  std::for_each(lines.begin(), lines.end(), out);
}

static long read_some(int fd) {
  char buf[8];
  return static_cast<long>(::read(fd, buf, sizeof buf));
}

long pump(std::function<long(int)> source, int fd) {
  long total = 0;
  for (long n; (n = source(fd)) > 0;)
    total += n;
  return total;
}

int main() {
  std::printf("%d %d\n", apply(read_byte, 0), apply(::abs, -4));
  say_all(say);
  std::printf("%ld\n", pump(read_some, 0));
}
