// A variable of a callback type whose functions become coroutines may be
// called, copied into the same type, tested and assigned; handed to
// anything else (a std::thread, an algorithm, a std::function of the old
// type) its calls would build tasks and drop them, so each such use is
// refused at the value, with exit 2 and nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK-DAG: a.cpp:14:19: error: this value of callback type 'Printer' is passed on where its calls would not be awaited (a thread, an algorithm, another function type); only calls through the callback type can be awaited [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:16:45: error: this value of callback type 'Printer' is passed on
// CHECK-DAG: a.cpp:17:50: error: this value of callback type 'Printer' is passed on

//--- .vinyl.yaml
callback_types: ["Printer"]
//--- a.cpp
#include <algorithm>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using Printer = std::function<void(const std::string &)>;

int main() {
  Printer p = [](const std::string &s) { ::write(1, s.data(), s.size()); };
  Printer copy = p;
  if (copy)
    std::thread t(p, std::string("thread\n"));
  std::vector<std::string> lines = {"a\n", "b\n"};
  std::for_each(lines.begin(), lines.end(), p);
  std::function<void(const std::string &)> raw = p;
  raw("raw\n");
  copy("copy\n");
}
