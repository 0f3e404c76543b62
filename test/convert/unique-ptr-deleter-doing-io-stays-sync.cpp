// A deleter that does I/O (a std::unique_ptr's function object that says
// goodbye and closes) is called by std::unique_ptr, which drops whatever it
// returns: converted to a coroutine, its task was dropped and neither the
// write nor the delete ever ran, silently. It is destructor code: it stays
// synchronous, calling the blocking facade of `bye`, with one warning that
// names std::unique_ptr. The program writes the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --match-full-lines --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out

// WARN:      a.cpp:11:8: warning: function object 'Closer::operator()' reaches blocking I/O but cannot become a coroutine: it stays synchronous (what it calls keeps a blocking facade; a leaf it calls is waited for with block_on), and in async mode it waits in a nested run of the event loop [vinyl-blocking-fallback]
// WARN-NEXT: a.cpp:18:33: note: an object is passed on here: it is called by 'std::unique_ptr', which does not await its result
// WARN-NEXT: a.cpp:12:5: note: 'Closer::operator()' calls 'bye' here
// WARN-NEXT: a.cpp:7:3: note: 'bye' calls 'write' here

// CHECK:      static void bye(int fd) {
// CHECK-NEXT:   return vinyl::block_on(bye_async(fd));
// CHECK-NEXT: }
// CHECK:        void operator()(Conn *c) const {
// CHECK-NEXT:     bye(c->fd);

// OUT: bye

//--- a.cpp
#include <memory>
#include <unistd.h>

struct Conn { int fd; };

static void bye(int fd) {
  ::write(fd, "bye\n", 4);
}

struct Closer {
  void operator()(Conn *c) const {
    bye(c->fd);
    delete c;
  }
};

int main() {
  std::unique_ptr<Conn, Closer> conn(new Conn{1});
}
