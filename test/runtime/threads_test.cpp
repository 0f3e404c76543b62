// Tests of the runtime on many threads at once, written for the
// ThreadSanitizer build (vinyl_runtime_async_test_tsan, see
// docs/reliability.md) and run in every variant: eight threads each running
// an event loop of their own, with echo round trips over socketpairs and a
// facade (block_on) nested on each loop; one listening socket and one pipe
// that all eight loops accept on and read at once; a token passed round a
// ring of pipes between eight loops; offloads from eight loops into the one
// pool and through one strand; a vinyl::mutex and condition_variable shared
// by the tasks of eight loops and by plain threads; handles of tasks on
// eight loops joined or dropped from another thread; and spawn in blocking
// mode from several threads at once. Each test checks the values that
// crossed the threads, so it fails when the runtime loses or reorders one;
// under TSan, a value handed over without ordering is reported as well.
#include "test_support.hpp"

#include <vinyl/offload.hpp>
#include <vinyl/sync.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using lock_type = vinyl::unique_lock<vinyl::mutex>;

constexpr int loop_threads = 8;

class AsyncThreads : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncThreads,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

class BlockingThreads : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Mode, BlockingThreads, ::testing::Values(blocking),
                         config_name_printer());

// Runs body(i) on n threads at once (body calls vinyl::run, so each thread
// runs a loop of its own in async mode) and joins them. No body starts
// before every thread exists, so that the loops do run at the same time
// however slowly the threads are created.
template <class F> void on_threads(int n, F body) {
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int i = 0; i != n; ++i)
    threads.emplace_back([&, i] {
      ++started;
      while (started.load() != n)
        std::this_thread::yield();
      body(i);
    });
  for (std::thread &t : threads)
    t.join();
}

// Echoes what it receives until the peer shuts its side down.
vinyl::task<void> echo(int fd) {
  char buf[64];
  for (ssize_t n; (n = co_await vinyl::io::recv(fd, buf, sizeof buf, 0)) > 0;)
    if (co_await vinyl::io::send(fd, buf, static_cast<std::size_t>(n), 0) != n)
      co_return;
}

// Sends `rounds` messages naming the loop, the pair and the round, and
// counts the echoes that come back equal; then shuts its side down, which
// ends the echo task.
vinyl::task<int> echo_client(int fd, int loop, int pair, int rounds) {
  int equal = 0;
  for (int r = 0; r != rounds; ++r) {
    char out[48];
    const int len = std::snprintf(out, sizeof out, "loop %d pair %d round %d",
                                  loop, pair, r);
    const auto size = static_cast<std::size_t>(len);
    if (co_await vinyl::io::send(fd, out, size, 0) != len)
      break;
    char in[48] = {};
    if (co_await vinyl::io::recv(fd, in, size, MSG_WAITALL) != len)
      break;
    if (std::memcmp(in, out, size) == 0)
      ++equal;
  }
  ::shutdown(fd, SHUT_WR);
  co_return equal;
}

// A synchronous function that reads an int from a pipe: what a facade is.
// Called from a task, its block_on runs on the loop already there, which
// must keep serving the task that writes the value.
int facade_read_int(int fd) {
  auto read_int = [](int from) -> vinyl::task<int> {
    int value = -1;
    if (co_await vinyl::io::read(from, &value, sizeof value) != sizeof value)
      co_return -1;
    co_return value;
  };
  return vinyl::block_on(read_int(fd));
}

struct loop_report {
  int round_trips = 0;
  int facade_value = 0;
  std::vector<std::string> order;
  bool every_task_on_the_loops_thread = true;
  pthread_t thread{};
};

constexpr int echo_pairs = 4;
constexpr int echo_rounds = 40;

// One thread's loop: echo pairs spawned and joined, and a facade nested on
// the loop waiting for a value another task of the loop writes.
vinyl::task<void> serve_one_loop(int index, loop_report &report) {
  report.thread = ::pthread_self();
  auto here = [&report] {
    if (!::pthread_equal(report.thread, ::pthread_self()))
      report.every_task_on_the_loops_thread = false;
  };
  std::vector<std::unique_ptr<socket_pair>> pairs;
  std::vector<vinyl::join_handle> echoes;
  std::vector<vinyl::task<int>> clients;
  for (int p = 0; p != echo_pairs; ++p) {
    pairs.push_back(std::make_unique<socket_pair>());
    echoes.push_back(vinyl::spawn(echo, pairs.back()->b));
    clients.push_back(echo_client(pairs.back()->a, index, p, echo_rounds));
  }
  pipe_fds facade_pipe;
  auto nested = [&]() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(1ms);
    here();
    report.order.push_back("facade");
    const int value = facade_read_int(facade_pipe.read_end);
    here();
    report.order.push_back("facade done");
    co_return value;
  };
  auto writer = [&]() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(10ms);
    here();
    report.order.push_back("write");
    const int value = 1000 + index;
    co_return static_cast<int>(
        co_await vinyl::io::write(facade_pipe.write_end, &value, sizeof value));
  };
  // Not a structured binding of the co_await: plain locals are what g++
  // 12 handles reliably in a coroutine.
  const auto results = co_await vinyl::when_all(
      vinyl::when_all(std::move(clients)), nested(), writer());
  for (vinyl::join_handle &h : echoes)
    co_await h.join();
  here();
  for (int n : std::get<0>(results))
    report.round_trips += n;
  report.facade_value =
      std::get<2>(results) == sizeof(int) ? std::get<1>(results) : -1;
}

// Eight threads, each running its own loop at the same time: round trips
// over socketpairs on every loop, and on every loop a facade's block_on
// nested in a task, served by the thread's loop.
TEST_P(AsyncThreads, EightLoopsServeEchoesAndNestedFacades) {
  std::vector<loop_report> reports(loop_threads);
  on_threads(loop_threads, [&](int i) {
    vinyl::run(serve_one_loop(i, reports[static_cast<std::size_t>(i)]));
  });
  for (int i = 0; i != loop_threads; ++i) {
    const loop_report &r = reports[static_cast<std::size_t>(i)];
    SCOPED_TRACE("loop " + std::to_string(i));
    EXPECT_EQ(r.round_trips, echo_pairs * echo_rounds);
    EXPECT_EQ(r.facade_value, 1000 + i);
    EXPECT_EQ(r.order,
              (std::vector<std::string>{"facade", "write", "facade done"}));
    EXPECT_TRUE(r.every_task_on_the_loops_thread);
    for (int j = 0; j != i; ++j)
      EXPECT_FALSE(::pthread_equal(r.thread,
                                   reports[static_cast<std::size_t>(j)].thread));
  }
}

// One descriptor used by the loops of eight threads at once: every loop
// accepts on one blocking listening socket and reads 4-byte records from
// one blocking pipe, each until it gets a stop (-1). No blocking call may
// fail (on epoll, loops that set O_NONBLOCK for one call used to see each
// other's flag and return EAGAIN), every connection and record is taken
// exactly once, and both descriptors are blocking again at the end.
TEST_P(AsyncThreads, EightLoopsShareAListenerAndAPipe) {
  constexpr int connections = 400, records = 4000;
  sockaddr_in addr;
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  // Room for every connection: with a full queue the kernel drops the
  // client's SYN, which costs a second before it is sent again.
  ASSERT_EQ(::listen(listener.get(), connections + loop_threads), 0);
  pipe_fds shared_pipe;
  struct taken_by_loop {
    std::vector<int> ids, values;
    std::vector<std::string> failures;
  };
  std::vector<taken_by_loop> taken(loop_threads);
  auto acceptor = [&](taken_by_loop &mine) -> vinyl::task<void> {
    for (;;) {
      const int fd =
          co_await vinyl::io::accept(listener.get(), nullptr, nullptr);
      if (fd < 0) {
        mine.failures.push_back(std::string("accept: ") +
                                std::strerror(errno));
        continue;
      }
      fd_closer conn(fd);
      int id = -2;
      if (co_await vinyl::io::recv(fd, &id, sizeof id, MSG_WAITALL) !=
          sizeof id) {
        mine.failures.push_back("short recv");
        continue;
      }
      if (id < 0)
        co_return;
      mine.ids.push_back(id);
    }
  };
  auto reader = [&](taken_by_loop &mine) -> vinyl::task<void> {
    for (;;) {
      int value = -2;
      const ssize_t n =
          co_await vinyl::io::read(shared_pipe.read_end, &value, sizeof value);
      if (n != sizeof value) {
        mine.failures.push_back(n < 0 ? std::string("read: ") +
                                            std::strerror(errno)
                                      : "short read");
        if (n == 0)
          co_return;
        continue;
      }
      if (value < 0)
        co_return;
      mine.values.push_back(value);
    }
  };
  std::thread loops([&] {
    on_threads(loop_threads, [&](int i) {
      taken_by_loop &mine = taken[static_cast<std::size_t>(i)];
      vinyl::run(vinyl::when_all(acceptor(mine), reader(mine)));
    });
  });
  std::thread writer([&] {
    for (int i = 0; i != records + loop_threads; ++i) {
      const int value = i < records ? i : -1;
      if (::write(shared_pipe.write_end, &value, sizeof value) != sizeof value)
        break;
    }
  });
  // All the data is queued before the stops, so the loops take it all.
  for (int i = 0; i != connections + loop_threads; ++i) {
    fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
    const int id = i < connections ? i : -1;
    if (::connect(client.get(), as_sockaddr(addr), sizeof addr) != 0 ||
        ::send(client.get(), &id, sizeof id, 0) != sizeof id) {
      ADD_FAILURE() << "client " << i << ": " << std::strerror(errno);
      break;
    }
  }
  writer.join();
  loops.join();

  std::vector<int> ids, values;
  for (const taken_by_loop &t : taken) {
    EXPECT_EQ(t.failures, std::vector<std::string>{});
    ids.insert(ids.end(), t.ids.begin(), t.ids.end());
    values.insert(values.end(), t.values.begin(), t.values.end());
  }
  std::sort(ids.begin(), ids.end());
  std::sort(values.begin(), values.end());
  std::vector<int> expected_ids(connections), expected_values(records);
  for (int i = 0; i != connections; ++i)
    expected_ids[static_cast<std::size_t>(i)] = i;
  for (int i = 0; i != records; ++i)
    expected_values[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(ids, expected_ids);
  EXPECT_EQ(values, expected_values);
  EXPECT_EQ(::fcntl(listener.get(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_EQ(::fcntl(shared_pipe.read_end, F_GETFL) & O_NONBLOCK, 0);
}

constexpr int ring_laps = 100;

// One stop of the ring: reads the token from `in`, checks it is the count
// of hops so far, and passes it on through `out`, `ring_laps` times. Stop 0
// puts the token in first and does not pass it on after its last lap.
vinyl::task<int> ring_stop(int index, int in, int out) {
  using token = std::uint64_t;
  int good = 0;
  if (index == 0) {
    const token first = 0;
    if (co_await vinyl::io::write(out, &first, sizeof first) != sizeof first)
      co_return 0;
  }
  for (int lap = 0; lap != ring_laps; ++lap) {
    token t = 0;
    if (co_await vinyl::io::read(in, &t, sizeof t) != sizeof t)
      break;
    const token hops_before =
        index == 0 ? static_cast<token>(lap) * loop_threads + loop_threads - 1
                   : static_cast<token>(lap) * loop_threads + index - 1;
    if (t == hops_before)
      ++good;
    if (index == 0 && lap == ring_laps - 1)
      break;
    const token next = t + 1;
    if (co_await vinyl::io::write(out, &next, sizeof next) != sizeof next)
      break;
  }
  co_return good;
}

// A token passed round a ring of pipes between eight loops, each on a
// thread that vinyl::spawn started (async mode, outside any loop): every
// hop wakes another thread's loop through the kernel.
TEST_P(AsyncThreads, TokenGoesRoundARingOfEightLoops) {
  std::vector<std::unique_ptr<pipe_fds>> pipes;
  for (int i = 0; i != loop_threads; ++i)
    pipes.push_back(std::make_unique<pipe_fds>());
  std::vector<int> good(loop_threads, -1);
  std::vector<vinyl::join_handle> stops;
  for (int i = 0; i != loop_threads; ++i) {
    const int in = pipes[static_cast<std::size_t>(
                             (i + loop_threads - 1) % loop_threads)]
                       ->read_end;
    const int out = pipes[static_cast<std::size_t>(i)]->write_end;
    stops.push_back(vinyl::spawn(
        [](int index, int from, int to, int &result) -> vinyl::task<void> {
          result = co_await ring_stop(index, from, to);
        },
        i, in, out, std::ref(good[static_cast<std::size_t>(i)])));
  }
  // No loop runs here: each join blocks this thread in pthread_join.
  for (vinyl::join_handle &h : stops)
    vinyl::block_on(h.join());
  for (int i = 0; i != loop_threads; ++i)
    EXPECT_EQ(good[static_cast<std::size_t>(i)], ring_laps) << "stop " << i;
}

// Offloaded: sets errno from its arguments and writes into the caller's
// buffer, which the task reads once resumed on its loop.
int offloaded_product(int a, int b, char *out, std::size_t size) {
  std::snprintf(out, size, "%d*%d", a, b);
  errno = (a + b) % 100 + 1;
  return a * b;
}

// Tasks on eight loops offload calls into the one pool at once; one task
// per loop also goes through a strand all the loops share, whose calls
// append to a plain vector: only the strand's ordering guards it.
TEST_P(AsyncThreads, EightLoopsOffloadIntoOnePoolAndOneStrand) {
  constexpr int tasks_per_loop = 6, calls_per_task = 5, strand_calls = 10;
  vinyl::offload_strand strand;
  std::vector<std::pair<int, int>> strand_log;
  std::atomic<bool> strand_busy{false};
  std::atomic<bool> overlapped{false};
  std::atomic<int> running{0}, most{0};
  std::vector<int> good(loop_threads, 0);
  // Long enough that calls the strand failed to keep apart would overlap
  // on the pool's workers.
  auto strand_call = [&](int loop, int seq) {
    if (strand_busy.exchange(true))
      overlapped = true;
    ::usleep(100);
    strand_log.emplace_back(loop, seq);
    strand_busy = false;
  };
  auto pooled = [&](int loop, int task) -> vinyl::task<int> {
    int ok = 0;
    for (int c = 0; c != calls_per_task; ++c) {
      const int a = loop * 100 + task * 10 + c, b = c + 3;
      char text[32] = {};
      const int r = co_await vinyl::offload(
          [&](int x, int y) {
            const int now = ++running;
            for (int seen = most.load();
                 now > seen && !most.compare_exchange_weak(seen, now);) {
            }
            ::usleep(500);
            --running;
            return offloaded_product(x, y, text, sizeof text);
          },
          a, b);
      const int error = errno;
      if (r == a * b && error == (a + b) % 100 + 1 &&
          std::string(text) ==
              std::to_string(a) + "*" + std::to_string(b))
        ++ok;
    }
    co_return ok;
  };
  auto through_strand = [&](int loop) -> vinyl::task<int> {
    for (int s = 0; s != strand_calls; ++s)
      co_await vinyl::offload(strand, strand_call, loop, s);
    co_return 0;
  };
  auto one_loop = [&](int loop) -> vinyl::task<void> {
    std::vector<vinyl::task<int>> tasks;
    for (int t = 0; t != tasks_per_loop; ++t)
      tasks.push_back(pooled(loop, t));
    tasks.push_back(through_strand(loop));
    for (int ok : co_await vinyl::when_all(std::move(tasks)))
      good[static_cast<std::size_t>(loop)] += ok;
  };
  on_threads(loop_threads, [&](int i) { vinyl::run(one_loop(i)); });

  for (int i = 0; i != loop_threads; ++i)
    EXPECT_EQ(good[static_cast<std::size_t>(i)],
              tasks_per_loop * calls_per_task)
        << "loop " << i;
  EXPECT_GE(most.load(), 2);
  EXPECT_FALSE(overlapped.load());
  ASSERT_EQ(strand_log.size(),
            static_cast<std::size_t>(loop_threads * strand_calls));
  // Each loop's calls ran in the order it offloaded them.
  std::vector<int> next(loop_threads, 0);
  for (const auto &[loop, seq] : strand_log)
    EXPECT_EQ(seq, next[static_cast<std::size_t>(loop)]++) << "loop " << loop;
}

// A mutex and a condition variable shared by the tasks of eight loops and
// two plain threads: four loops produce into a queue, four consume from it
// (with timed and untimed waits), the threads bump a counter under the same
// mutex. Critical sections span
// awaits, so the mutex is handed between loops while its holder is
// suspended. The queue, the counters and the consumers' records are plain
// data: only the mutex orders them.
TEST_P(AsyncThreads, MutexAndConditionVariableShared) {
  constexpr int producers = loop_threads / 2, tasks_per_loop = 2,
                items_per_task = 25, plain_bumps = 200;
  constexpr int items = producers * tasks_per_loop * items_per_task;
  vinyl::mutex m;
  vinyl::condition_variable cv;
  std::deque<int> queue;
  int consumed = 0;
  int plain_count = 0;
  int inside = 0;
  bool overlapped = false;
  std::vector<std::vector<int>> taken(loop_threads);
  auto enter = [&] {
    if (inside++ != 0)
      overlapped = true;
  };
  auto produce = [&](int loop, int task) -> vinyl::task<void> {
    for (int k = 0; k != items_per_task; ++k) {
      {
        lock_type lk = co_await vinyl::scoped_lock(m);
        enter();
        if (k % 5 == 0) // hold it across a wait of the loop
          co_await vinyl::io::usleep(100);
        queue.push_back((loop * tasks_per_loop + task) * 1000 + k);
        --inside;
      }
      cv.notify_one();
    }
  };
  // The first task of each consumer loop waits with a timeout (a poll of an
  // eventfd the notifier writes), the other without (handed back through
  // the loop's inbox). The timeout is never meant to pass.
  auto consume = [&](int loop, bool timed) -> vinyl::task<void> {
    auto ready = [&] { return !queue.empty() || consumed == items; };
    for (;;) {
      lock_type lk = co_await vinyl::scoped_lock(m);
      bool met = true;
      if (timed)
        met = co_await cv.wait_for(lk, 10s, ready);
      else
        co_await cv.wait(lk, ready);
      if (!met)
        continue;
      enter();
      if (queue.empty()) {
        --inside;
        co_return;
      }
      taken[static_cast<std::size_t>(loop)].push_back(queue.front());
      queue.pop_front();
      const bool last = ++consumed == items;
      --inside;
      if (last)
        cv.notify_all();
    }
  };
  auto one_loop = [&](int loop) -> vinyl::task<void> {
    std::vector<vinyl::task<void>> tasks;
    for (int t = 0; t != tasks_per_loop; ++t)
      tasks.push_back(loop < producers ? produce(loop, t)
                                       : consume(loop, t == 0));
    co_await vinyl::when_all(std::move(tasks));
  };
  std::vector<std::thread> plain;
  for (int t = 0; t != 2; ++t)
    plain.emplace_back([&] {
      for (int i = 0; i != plain_bumps; ++i) {
        std::lock_guard<vinyl::mutex> g(m);
        enter();
        ++plain_count;
        --inside;
      }
    });
  on_threads(loop_threads, [&](int i) { vinyl::run(one_loop(i)); });
  for (std::thread &t : plain)
    t.join();

  EXPECT_FALSE(overlapped);
  EXPECT_EQ(plain_count, 2 * plain_bumps);
  EXPECT_EQ(consumed, items);
  EXPECT_TRUE(queue.empty());
  std::vector<int> all;
  for (const std::vector<int> &t : taken)
    all.insert(all.end(), t.begin(), t.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected;
  for (int p = 0; p != producers * tasks_per_loop; ++p)
    for (int k = 0; k != items_per_task; ++k)
      expected.push_back(p * 1000 + k);
  EXPECT_EQ(all, expected);
  // Each producer's items left in the order it queued them.
  for (const std::vector<int> &t : taken)
    for (std::size_t i = 1; i < t.size(); ++i)
      if (t[i - 1] / 1000 == t[i] / 1000) {
        EXPECT_LT(t[i - 1], t[i]);
      }
}

// Handles of tasks spawned on eight loops are handed to this thread, which
// joins half of them (blocking until their loop finished the task) and
// drops the other half while the loops run on: the handle's state is let
// go by whichever side is last, on either thread. A joined task's write
// to a plain int must be visible once the join returns.
TEST_P(AsyncThreads, HandlesOfEightLoopsJoinedAndDroppedElsewhere) {
  constexpr int per_loop = 4;
  constexpr int handles = loop_threads * per_loop;
  std::mutex handed_mutex;
  std::vector<std::pair<int, vinyl::join_handle>> handed;
  std::atomic<int> handed_count{0};
  std::vector<int> written(handles, 0);
  auto work = [&](int slot) -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(std::chrono::milliseconds(5 + slot % 7));
    written[static_cast<std::size_t>(slot)] = slot + 1;
  };
  auto one_loop = [&](int loop) -> vinyl::task<void> {
    for (int k = 0; k != per_loop; ++k) {
      const int slot = loop * per_loop + k;
      vinyl::join_handle h = vinyl::spawn(work(slot));
      std::lock_guard<std::mutex> g(handed_mutex);
      handed.emplace_back(slot, std::move(h));
      ++handed_count;
    }
    co_return; // the loop's run waits for the tasks
  };
  std::thread runners([&] {
    on_threads(loop_threads, [&](int i) { vinyl::run(one_loop(i)); });
  });
  while (handed_count.load() != handles)
    std::this_thread::sleep_for(100us);
  std::vector<std::pair<int, vinyl::join_handle>> mine;
  {
    std::lock_guard<std::mutex> g(handed_mutex);
    mine.swap(handed);
  }
  int joined = 0, seen = 0;
  for (auto &[slot, h] : mine) {
    if (slot % 2 == 0) {
      vinyl::block_on(h.join());
      ++joined;
      if (written[static_cast<std::size_t>(slot)] == slot + 1)
        ++seen;
    } else {
      h = vinyl::join_handle(); // drops it: detached
    }
  }
  runners.join();
  EXPECT_EQ(joined, handles / 2);
  EXPECT_EQ(seen, handles / 2);
  for (int slot = 0; slot != handles; ++slot)
    EXPECT_EQ(written[static_cast<std::size_t>(slot)], slot + 1);
}

// Blocking mode: four threads each run a converted "server" at once; each
// spawns threads (vinyl::spawn starts one per task here) for echo pairs and
// their clients, joins the clients, and drops the handle of one more that
// only sets a flag, which run still waits for. Each run's group of threads
// is its own.
TEST_P(BlockingThreads, FourRunsSpawnThreadsAtOnce) {
  constexpr int runs = 4, pairs_per_run = 3, rounds = 20;
  struct run_report {
    int round_trips = 0;
    bool detached_done = false;
    bool spawned_elsewhere = true;
  };
  std::vector<run_report> reports(runs);
  auto body = [&](int run) -> vinyl::task<void> {
    run_report &report = reports[static_cast<std::size_t>(run)];
    const pthread_t runner = ::pthread_self();
    std::vector<std::unique_ptr<socket_pair>> pairs;
    std::vector<vinyl::join_handle> echoes, clients;
    std::vector<int> equal(pairs_per_run, 0);
    std::vector<pthread_t> where(pairs_per_run);
    for (int p = 0; p != pairs_per_run; ++p) {
      pairs.push_back(std::make_unique<socket_pair>());
      echoes.push_back(vinyl::spawn(echo, pairs.back()->b));
      clients.push_back(vinyl::spawn(
          [](int fd, int in_run, int pair, int &out, pthread_t &thread)
              -> vinyl::task<void> {
            thread = ::pthread_self();
            out = co_await echo_client(fd, in_run, pair, rounds);
          },
          pairs.back()->a, run, p, std::ref(equal[static_cast<std::size_t>(p)]),
          std::ref(where[static_cast<std::size_t>(p)])));
    }
    vinyl::spawn(
        [](bool &flag) -> vinyl::task<void> {
          co_await vinyl::io::sleep_for(5ms);
          flag = true;
        },
        std::ref(report.detached_done));
    for (vinyl::join_handle &h : clients)
      co_await h.join();
    for (vinyl::join_handle &h : echoes)
      co_await h.join();
    for (int p = 0; p != pairs_per_run; ++p) {
      report.round_trips += equal[static_cast<std::size_t>(p)];
      if (::pthread_equal(where[static_cast<std::size_t>(p)], runner))
        report.spawned_elsewhere = false;
    }
  };
  on_threads(runs, [&](int i) { vinyl::run(body(i)); });
  for (int i = 0; i != runs; ++i) {
    const run_report &r = reports[static_cast<std::size_t>(i)];
    SCOPED_TRACE("run " + std::to_string(i));
    EXPECT_EQ(r.round_trips, pairs_per_run * rounds);
    EXPECT_TRUE(r.detached_done);
    EXPECT_TRUE(r.spawned_elsewhere);
  }
}

} // namespace
