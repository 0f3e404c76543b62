// A connection pool guards its free list with a std::mutex and waits on a
// std::condition_variable in `acquire`, a helper that does no I/O itself
// but that converted code calls. On the event loop that wait would block
// every task, so the mutex and the condition variable become vinyl ones
// and `acquire` becomes a coroutine that awaits the wait and the lock
// (only coroutines call it: no facade); `release`, which only locks to
// push, becomes one too, since a coroutine calls it. `--explain` says why
// `acquire` is async. The converted program builds with both compilers
// and prints what the original prints, in both modes; a second run
// changes nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: not %vinyl --check --explain Pool::acquire %t > %t.explain 2>&1
// RUN: FileCheck %s --check-prefix=EXPLAIN --input-file=%t.explain
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=QUIET --allow-empty --input-file=%t/err.txt
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: cp %t/a.cpp %t/first.cpp && %vinyl --check %t && %vinyl %t && diff %t/first.cpp %t/a.cpp

// CHECK:   vinyl::task<int> acquire() {
// CHECK-NEXT:     auto lk = co_await vinyl::scoped_lock(mu_);
// CHECK-NEXT:     co_await cv_.wait(lk, [&] { return !free_.empty(); });
// CHECK:   vinyl::task<void> release(int c) {
// CHECK-NEXT:     auto g = co_await vinyl::scoped_lock(mu_);
// CHECK:   vinyl::mutex mu_;
// CHECK-NEXT:   vinyl::condition_variable cv_;
// CHECK: vinyl::task<int> query_async(Pool &pool, int fd) {
// CHECK-NEXT:   int c = co_await pool.acquire();

// QUIET-NOT: warning

// EXPLAIN: a.cpp:13:7: error: 'Pool::acquire' reaches blocking I/O but is not a coroutine; converting makes it one [vinyl-needs-async]
// EXPLAIN-NEXT: a.cpp:14:34: note: 'Pool::acquire' locks 'Pool::mu_' here, which becomes a vinyl::mutex, and a coroutine calls it
// EXPLAIN: Pool::acquire (a.cpp:13:7) is async: 1 path to blocking I/O
// EXPLAIN-NEXT: `- locks Pool::mu_ at a.cpp:14:34  [waits on a vinyl::mutex]

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdefgh
//--- a.cpp
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <unistd.h>
#include <vector>

class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      free_.push_back(i);
  }
  int acquire() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return !free_.empty(); });
    int c = free_.back();
    free_.pop_back();
    return c;
  }
  void release(int c) {
    std::lock_guard<std::mutex> g(mu_);
    free_.push_back(c);
    cv_.notify_one();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> free_;
};

int query(Pool &pool, int fd) {
  int c = pool.acquire();
  char b = 0;
  ::read(fd, &b, 1);
  pool.release(c);
  return b + c;
}

int main() {
  Pool pool(2);
  int sum = 0;
  for (int i = 0; i < 4; ++i)
    sum += query(pool, 0);
  std::printf("%d\n", sum);
}
