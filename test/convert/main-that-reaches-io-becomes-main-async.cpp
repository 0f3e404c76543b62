// A `main` that reaches I/O (here a server that accepts its connections in
// main) is converted like any function: its body becomes the coroutine
// `main_async`, awaiting what it calls, and `main` the blocking facade
// `return vinyl::block_on(main_async(argc, argv));`. In async mode the
// whole program then runs on one event loop: the task main spawns for a
// connection runs on main's thread, where a synchronous main would give it
// a thread of its own. In blocking mode it still gets a thread. The
// converted program is at the fixpoint.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc 3 > %t/orig.out
// RUN: FileCheck %s --check-prefix=THREAD --match-full-lines --input-file=%t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc 3 > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang 3 > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc 3 > %t/gcc-async.out
// RUN: FileCheck %s --check-prefix=LOOP --match-full-lines --input-file=%t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang 3 > %t/clang-async.out
// RUN: FileCheck %s --check-prefix=LOOP --match-full-lines --input-file=%t/clang-async.out
// RUN: %vinyl --check %t

// CHECK:      vinyl::task<int> main_async(int argc, char **argv) {
// CHECK-NEXT:   main_thread = std::this_thread::get_id();
// CHECK-NEXT:   int clients = argc > 1 ? std::atoi(argv[1]) : 1;
// CHECK-NEXT:   for (int i = 0; i < clients; ++i) {
// CHECK-NEXT:     int fds[2];
// CHECK-NEXT:     if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
// CHECK-NEXT:       co_return 1;
// CHECK-NEXT:     char c = static_cast<char>('a' + i);
// CHECK-NEXT:     co_await vinyl::io::write(fds[1], &c, 1);
// CHECK-NEXT:     auto t = vinyl::spawn(serve, fds[0], i);
// CHECK-NEXT:     co_await t.join();
// CHECK-NEXT:     ::close(fds[1]);
// CHECK-NEXT:   }
// CHECK-NEXT:   co_return 0;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int main(int argc, char **argv) {
// CHECK-NEXT:   return vinyl::block_on(main_async(argc, argv));
// CHECK-NEXT: }

// THREAD:      connection 0 got a on a thread of its own
// THREAD-NEXT: connection 1 got b on a thread of its own
// THREAD-NEXT: connection 2 got c on a thread of its own

// LOOP:      connection 0 got a on main's thread
// LOOP-NEXT: connection 1 got b on main's thread
// LOOP-NEXT: connection 2 got c on main's thread

//--- a.cpp
#include <cstdio>
#include <cstdlib>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

static std::thread::id main_thread;

static void serve(int fd, int n) {
  char c = 0;
  ::read(fd, &c, 1);
  std::printf("connection %d got %c on %s\n", n, c,
              std::this_thread::get_id() == main_thread ? "main's thread"
                                                        : "a thread of its own");
  std::fflush(stdout);
  ::close(fd);
}

int main(int argc, char **argv) {
  main_thread = std::this_thread::get_id();
  int clients = argc > 1 ? std::atoi(argv[1]) : 1;
  for (int i = 0; i < clients; ++i) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
      return 1;
    char c = static_cast<char>('a' + i);
    ::write(fds[1], &c, 1);
    std::thread t(serve, fds[0], i);
    t.join();
    ::close(fds[1]);
  }
  return 0;
}
