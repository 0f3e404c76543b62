// A local thread whose function reaches I/O becomes a vinyl::join_handle,
// which has join(), detach() and joinable() (the rule's handle_members) but
// is not a std::thread: any other use of the variable (here it is moved into
// a vector) is refused at the thread, naming the use, with exit 2 and
// nothing written.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK:      a.cpp:11:15: error: the thread started here runs 'worker', which reaches blocking I/O, but it cannot become a spawned task: 't' is used at line 13 other than by calling join(), detach(), joinable() [vinyl-cannot-convert]
// CHECK:      a.cpp:6:3: note: 'worker' calls 'write' here

//--- a.cpp
#include <thread>
#include <unistd.h>
#include <vector>

static void worker(int fd) {
  ::write(fd, "x", 1);
}

void start(std::vector<std::thread> &pool, int fd) {
  pool.reserve(1);
  std::thread t(worker, fd);
  if (t.joinable())
    pool.push_back(std::move(t));
}
