// A container of threads whose functions reach I/O becomes a container of
// vinyl::join_handle only when every use of it means the same on handles.
// Each of these is refused at the thread, naming the use, with exit 2 and
// nothing written: the container passed to a function, an element used
// other than by join()/detach()/joinable(), a thread moved in rather than
// started there, a container holding threads with and without I/O (it
// cannot hold both threads and spawned tasks), a thread used through
// emplace_back's result, and a declaration that also names an allocator.
// RUN: rm -rf %t %t.orig && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t.orig
// RUN: sh -c '%vinyl %t; echo "exit=$?"' > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=EXIT --match-full-lines --input-file=%t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: diff -r %t.orig %t

// EXIT: exit=2

// CHECK-DAG: a.cpp:16:5: error: the thread started here runs 'worker', which reaches blocking I/O, but it cannot become a spawned task: 'pool' is used at line 17 other than to add a thread, to iterate over it, to call join(), detach(), joinable() on an element or to ask its size [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:22:3: error: the thread started here runs 'worker', which reaches blocking I/O, but it cannot become a spawned task: 't' is used at line 24 other than by calling join(), detach(), joinable() [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:30:3: error: the thread started here runs 'worker', which reaches blocking I/O, but it cannot become a spawned task: a thread is added at line 31 that does not run a function or lambda of the paths [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:39:3: error: the thread started here runs 'quiet', which does not reach blocking I/O, but 'mixed' also holds threads that run 'worker' (line 38), which does: one container cannot hold both threads and spawned tasks [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:45:3: error: the thread started here runs 'worker', which reaches blocking I/O, but it cannot become a spawned task: it is used through the result of 'emplace_back' [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:50:3: error: the thread started here runs 'worker', which reaches blocking I/O, but it cannot become a spawned task: the declaration of 'pool' has template arguments besides the element type [vinyl-cannot-convert]
// CHECK-DAG: a.cpp:8:3: note: 'worker' calls 'write' here

//--- a.cpp
#include <thread>
#include <unistd.h>
#include <vector>

void wait_all(std::vector<std::thread> &pool);

static void worker(int fd) {
  ::write(fd, "x", 1);
}

static void quiet(int) {}

void passed_on(int fd) {
  std::vector<std::thread> pool;
  for (int i = 0; i < 2; ++i)
    pool.emplace_back(worker, fd);
  wait_all(pool);
}

void element_used(int fd) {
  std::vector<std::thread> pool;
  pool.emplace_back(worker, fd);
  for (auto &t : pool)
    std::thread(std::move(t)).join();
}

void moved_in(int fd) {
  std::vector<std::thread> pool;
  std::thread t(quiet, 0);
  pool.emplace_back(worker, fd);
  pool.push_back(std::move(t));
  for (auto &u : pool)
    u.join();
}

void two_kinds(int fd) {
  std::vector<std::thread> mixed;
  mixed.emplace_back(worker, fd);
  mixed.emplace_back(quiet, 0);
  mixed.back().join();
}

void result_used(int fd) {
  std::vector<std::thread> pool;
  pool.emplace_back(worker, fd).join();
}

void allocator_written(int fd) {
  std::vector<std::thread, std::allocator<std::thread>> pool;
  pool.emplace_back(worker, fd);
  pool.back().join();
}
