// A thread pool whose workers are function objects, as HTTP libraries
// write it (`threads_.emplace_back(worker(*this))`, a nested struct that
// holds the pool and takes jobs from it), with a virtual
// `enqueue(std::function<void()>)` and a member list of jobs. When the jobs
// do I/O it converts as thread-pool-of-jobs-doing-io-becomes-tasks.cpp
// does: each worker becomes a spawned task of its object, whose operator()
// awaits each job through the pool's vinyl mutex and condition variable.
// The output is the same in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t
// RUN: cp %t/a.cpp %t/once.cpp && %vinyl %t && diff %t/once.cpp %t/a.cpp

// CHECK:        virtual bool enqueue(std::function<vinyl::task<void>()> fn) = 0;
// CHECK-NEXT:   virtual vinyl::task<void> shutdown() = 0;
// CHECK:            threads_.emplace_back(vinyl::spawn(worker(*this)));
// CHECK:        bool enqueue(std::function<vinyl::task<void>()> fn) override {
// CHECK:        vinyl::task<void> shutdown() override {
// CHECK:              co_await t.join();
// CHECK:          vinyl::task<void> operator()() {
// CHECK:              std::function<vinyl::task<void>()> fn;
// CHECK:                co_await pool_.cond_.wait(lock, [&] { return !pool_.jobs_.empty() || pool_.shutdown_; });
// CHECK:              co_await fn();
// CHECK:        std::vector<vinyl::join_handle> threads_;
// CHECK-NEXT:   std::list<std::function<vinyl::task<void>()>> jobs_;
// CHECK-NEXT:   bool shutdown_ = false;
// CHECK-NEXT:   vinyl::condition_variable cond_;
// CHECK-NEXT:   vinyl::mutex mutex_;
// CHECK:          pool->enqueue([fd, i]() -> vinyl::task<void> { co_await handle(fd, i); });
// CHECK:        co_await pool->shutdown();

// OUT:      job 0
// OUT-NEXT: job 1
// OUT-NEXT: job 2
// OUT-NEXT: job 3

//--- a.cpp
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

class TaskQueue {
public:
  virtual ~TaskQueue() = default;
  virtual bool enqueue(std::function<void()> fn) = 0;
  virtual void shutdown() = 0;
};

class ThreadPool final : public TaskQueue {
public:
  explicit ThreadPool(size_t n) {
    while (n--)
      threads_.emplace_back(worker(*this));
  }
  bool enqueue(std::function<void()> fn) override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(fn));
    }
    cond_.notify_one();
    return true;
  }
  void shutdown() override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    cond_.notify_all();
    for (auto &t : threads_)
      t.join();
  }

private:
  // What each worker thread runs: a function object holding the pool.
  struct worker {
    explicit worker(ThreadPool &pool) : pool_(pool) {}
    void operator()() {
      for (;;) {
        std::function<void()> fn;
        {
          std::unique_lock<std::mutex> lock(pool_.mutex_);
          pool_.cond_.wait(lock, [&] { return !pool_.jobs_.empty() || pool_.shutdown_; });
          if (pool_.shutdown_ && pool_.jobs_.empty())
            break;
          fn = std::move(pool_.jobs_.front());
          pool_.jobs_.pop_front();
        }
        fn();
      }
    }
    ThreadPool &pool_;
  };
  friend struct worker;

  std::vector<std::thread> threads_;
  std::list<std::function<void()>> jobs_;
  bool shutdown_ = false;
  std::condition_variable cond_;
  std::mutex mutex_;
};

static void handle(int fd, int n) {
  std::string line = "job " + std::to_string(n) + "\n";
  ::write(fd, line.data(), line.size());
  ::close(fd);
}

int main() {
  const int n = 4;
  int r[n];
  std::unique_ptr<TaskQueue> pool(new ThreadPool(2));
  for (int i = 0; i < n; ++i) {
    int p[2];
    if (::pipe(p) != 0)
      return 1;
    r[i] = p[0];
    int fd = p[1];
    pool->enqueue([fd, i] { handle(fd, i); });
  }
  for (int i = 0; i < n; ++i) {
    char buf[64];
    long got = ::read(r[i], buf, sizeof buf);
    if (got > 0)
      std::fwrite(buf, 1, got, stdout);
  }
  pool->shutdown();
  std::fflush(stdout);
}
