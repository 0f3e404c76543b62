// A container of threads that is a data member, whose threads the object
// adds (emplace_back of a lambda, push_back of a thread) and joins (here in
// its destructor, which stays synchronous and waits in place): its element
// type becomes vinyl::join_handle in the class and in the loops over it,
// each thread added becomes a spawn, and each join is waited for. A member
// container handed out by reference keeps its threads, with a warning that
// names the use. The converted program prints the same in blocking and
// async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t 2> %t/err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: cp %t/a.cpp %t/once.cpp && %vinyl %t 2> /dev/null && diff %t/once.cpp %t/a.cpp

// CHECK:          workers_.emplace_back(vinyl::spawn([this, fd, n]() -> vinyl::task<void> { co_await serve(fd, n); }));
// CHECK:          workers_.push_back(vinyl::spawn(&Server::serve, this, fd, n));
// CHECK:        ~Server() {
// CHECK-NEXT:     for (vinyl::join_handle &t : workers_)
// CHECK-NEXT:       if (t.joinable())
// CHECK-NEXT:         vinyl::block_on(t.join());
// CHECK-NEXT:   }
// CHECK:        std::vector<vinyl::join_handle> workers_;
// CHECK:        void start(int fd) { workers_.emplace_back([fd] { vinyl::block_on(vinyl::io::write(fd, "leaky\n", 6)); ::close(fd); }); }
// CHECK:        std::vector<std::thread> workers_;

// WARN:      a.cpp:17:3: warning: destructor 'Server::~Server' reaches blocking I/O but cannot become a coroutine
// WARN-NEXT: a.cpp:20:11: note: 'Server::~Server' joins a thread that runs 'lambda in Server::start()' here
// WARN:      a.cpp:36:46: warning: the lambda in Leaky::start() reaches blocking I/O but cannot become a coroutine
// WARN-NEXT: a.cpp:36:24: note: its closure is passed on here: it runs in a thread kept in 'Leaky::workers_', which stays a container of threads: 'workers_' is used at line 37 other than to add a thread

// OUT:      running 2
// OUT-NEXT: served 1
// OUT-NEXT: served 2
// OUT-NEXT: leaky

//--- a.cpp
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

// Workers kept in a member vector, joined by the destructor.
class Server {
public:
  void start(int fd, int n) {
    workers_.emplace_back([this, fd, n] { serve(fd, n); });
  }
  void start_named(int fd, int n) {
    workers_.push_back(std::thread(&Server::serve, this, fd, n));
  }
  std::size_t running() const { return workers_.size(); }
  ~Server() {
    for (std::thread &t : workers_)
      if (t.joinable())
        t.join();
  }

private:
  void serve(int fd, int n) {
    std::string line = "served " + std::to_string(n) + "\n";
    ::write(fd, line.data(), line.size());
    ::close(fd);
  }

  std::vector<std::thread> workers_;
};

// A member vector handed out: its threads stay threads.
class Leaky {
public:
  void start(int fd) { workers_.emplace_back([fd] { ::write(fd, "leaky\n", 6); ::close(fd); }); }
  std::vector<std::thread> &threads() { return workers_; }

private:
  std::vector<std::thread> workers_;
};

static void drain(int fd) {
  char buf[64];
  long got;
  while ((got = ::read(fd, buf, sizeof buf)) > 0)
    std::fwrite(buf, 1, got, stdout);
  ::close(fd);
}

int main() {
  int p[3][2];
  for (auto &q : p)
    if (::pipe(q) != 0)
      return 1;
  {
    Server s;
    s.start(p[0][1], 1);
    s.start_named(p[1][1], 2);
    std::printf("running %zu\n", s.running());
    std::fflush(stdout);
    drain(p[0][0]);
    drain(p[1][0]);
  }
  Leaky l;
  l.start(p[2][1]);
  drain(p[2][0]);
  for (std::thread &t : l.threads())
    t.join();
  std::fflush(stdout);
}
