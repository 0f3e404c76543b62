// A project's function-object class whose operator() reaches I/O, handed
// to code that is not converted (std::async, an algorithm, a
// std::function), is called there without being awaited: converted, the
// task would be dropped and the I/O never done. Its operator() stays
// synchronous instead, with one warning naming the first hand-over and the
// chain; its own leaf calls wait for their awaitables in place (exit 0).
// Calling the object directly is awaited (see
// operator-call-awaited-parenthesised.cpp), and a thread that runs it
// becomes a spawned task (spawn-function-object-thread-becomes-task.cpp).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --check-prefix=CODE --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// EXIT: exit=0

// CHECK:      a.cpp:10:8: warning: function object 'Emit::operator()' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:31:37: note: an object is passed on here: it is handed to 'std::for_each', which calls it without awaiting
// CHECK-NEXT: a.cpp:10:49: note: 'Emit::operator()' calls 'write' here
// CHECK-NEXT: a.cpp:16:8: warning: function object 'Drain::operator()' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// CHECK-NEXT: a.cpp:25:46: note: an object is passed on here: it is handed to 'std::async', which calls it without awaiting
// CHECK-NEXT: a.cpp:18:12: note: 'Drain::operator()' calls 'read' here
// CHECK-NEXT: converted {{.*}}a.cpp
// CHECK-EMPTY:

// CODE:  void operator()(const std::string &s) const { vinyl::block_on(vinyl::io::write(fd, s.data(), s.size())); }
// CODE:    while (vinyl::block_on(vinyl::io::read(fd, &c, 1)) == 1)

//--- a.cpp
#include <algorithm>
#include <functional>
#include <future>
#include <string>
#include <unistd.h>
#include <vector>

struct Emit {
  int fd;
  void operator()(const std::string &s) const { ::write(fd, s.data(), s.size()); }
};

struct Drain {
  int fd;
  std::string *out;
  void operator()() const {
    char c;
    while (::read(fd, &c, 1) == 1)
      *out += c;
  }
};

std::string collect(int fd) {
  std::string s;
  auto done = std::async(std::launch::async, Drain{fd, &s});
  done.wait();
  return s;
}

void emit_all(int fd, const std::vector<std::string> &v) {
  std::for_each(v.begin(), v.end(), Emit{fd});
  std::function<void(const std::string &)> f = Emit{fd};
  f("|");
}
