// Tests of where vinyl::sqlite makes its calls, part of vinyl_sqlite_test
// (see sqlite_test.cpp). In async mode: a call on an in-memory or temporary
// database runs on the loop thread and one on a file database on a worker,
// an attached file moves a connection's calls to a worker, the loop runs
// other tasks during a slow offloaded call, 20 tasks with connections of
// their own insert into one WAL database concurrently, and calls on a
// multi-thread (SQLITE_OPEN_NOMUTEX) connection never overlap while two
// such connections work in parallel. In blocking mode the same calls run
// on the calling thread.
#include "sqlite_test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <pthread.h>
#include <unistd.h>

namespace vinyl_sqlite_test {
namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;

// --- Where the calls run.

// A SQL function that records the thread it runs on.
struct thread_record {
  std::mutex mutex;
  std::vector<pthread_t> threads;

  bool last_here() {
    std::lock_guard lock(mutex);
    return !threads.empty() &&
           ::pthread_equal(threads.back(), ::pthread_self());
  }
};

void record_thread(sqlite3_context *ctx, int, sqlite3_value **) {
  auto &record = *static_cast<thread_record *>(::sqlite3_user_data(ctx));
  std::lock_guard lock(record.mutex);
  record.threads.push_back(::pthread_self());
  ::sqlite3_result_int(ctx, 1);
}

void add_thread_probe(sqlite3 *db, thread_record &record) {
  ASSERT_EQ(::sqlite3_create_function(db, "thread_probe", 0, SQLITE_UTF8,
                                      &record, record_thread, nullptr, nullptr),
            SQLITE_OK);
}

vinyl::task<int> step_once(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = nullptr;
  int rc = co_await vinyl::sqlite::prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc == SQLITE_OK)
    rc = co_await vinyl::sqlite::step(stmt);
  (void)co_await vinyl::sqlite::finalize(stmt);
  co_return rc;
}

// Async mode: a file database's call on a worker, an in-memory one's on the
// loop thread (which is the test's). Blocking mode: both here.
TEST_P(Sqlite, FileDatabaseCallsRunOnAWorkerInMemoryOnesOnTheLoop) {
  temp_dir dir;
  plain_connection file_db(dir.file("test.db"));
  plain_connection memory_db(":memory:");
  plain_connection temp_db(""); // a private temporary database
  thread_record in_file, in_memory, in_temp;
  add_thread_probe(file_db.get(), in_file);
  add_thread_probe(memory_db.get(), in_memory);
  add_thread_probe(temp_db.get(), in_temp);
  auto body = [&]() -> vinyl::task<int> {
    int rows = 0;
    rows += co_await step_once(file_db.get(), "SELECT thread_probe()");
    rows += co_await step_once(memory_db.get(), "SELECT thread_probe()");
    rows += co_await step_once(temp_db.get(), "SELECT thread_probe()");
    co_return rows;
  };
  EXPECT_EQ(vinyl::block_on(body()), 3 * SQLITE_ROW);
  EXPECT_EQ(in_file.last_here(), !async());
  EXPECT_TRUE(in_memory.last_here());
  EXPECT_TRUE(in_temp.last_here());
}

// An in-memory connection with a file attached has something to wait for:
// its calls go to a worker until the file is detached.
TEST_P(Sqlite, AttachingAFileToAnInMemoryConnectionOffloadsItsCalls) {
  temp_dir dir;
  plain_connection db(":memory:");
  thread_record record;
  add_thread_probe(db.get(), record);
  const std::string attach =
      "ATTACH DATABASE '" + dir.file("attached.db") + "' AS other";
  std::vector<bool> here;
  auto body = [&]() -> vinyl::task<void> {
    namespace sq = vinyl::sqlite;
    (void)co_await step_once(db.get(), "SELECT thread_probe()");
    here.push_back(record.last_here());
    (void)co_await sq::exec(db.get(), attach.c_str(), nullptr, nullptr,
                            nullptr);
    (void)co_await step_once(db.get(), "SELECT thread_probe()");
    here.push_back(record.last_here());
    (void)co_await sq::exec(db.get(), "DETACH DATABASE other", nullptr, nullptr,
                            nullptr);
    (void)co_await step_once(db.get(), "SELECT thread_probe()");
    here.push_back(record.last_here());
  };
  vinyl::block_on(body());
  EXPECT_EQ(here, (std::vector<bool>{true, !async(), true}));
}

// --- The loop runs other tasks during an offloaded call.

struct slow_state {
  std::atomic<int> ticks{0};
};

// Sleeps 30 ms, then goes on sleeping until the loop has ticked three times
// (at most 10 s): a loop that runs meanwhile ticks before the call ends; one
// blocked by the call cannot.
void slow_until_ticks(sqlite3_context *ctx, int, sqlite3_value **) {
  auto &state = *static_cast<slow_state *>(::sqlite3_user_data(ctx));
  ::usleep(30'000);
  for (int i = 0; i != 10'000 && state.ticks.load() < 3; ++i)
    ::usleep(1'000);
  ::sqlite3_result_int(ctx, state.ticks.load());
}

void sleep_30ms(sqlite3_context *ctx, int, sqlite3_value **) {
  ::usleep(30'000);
  ::sqlite3_result_int(ctx, 1);
}

TEST_P(AsyncSqlite, LoopRunsOtherTasksDuringAnOffloadedCall) {
  temp_dir dir;
  plain_connection db(dir.file("test.db"));
  slow_state state;
  ASSERT_EQ(::sqlite3_create_function(db.get(), "slow", 0, SQLITE_UTF8, &state,
                                      slow_until_ticks, nullptr, nullptr),
            SQLITE_OK);
  std::vector<std::string> log;
  bool done = false;
  auto slow = [&]() -> vinyl::task<int> {
    const int rc = co_await step_once(db.get(), "SELECT slow()");
    log.push_back("call done");
    done = true;
    co_return rc;
  };
  const auto [rc, ignored] =
      vinyl::run(vinyl::when_all(slow(), tick_until(done, 2ms, [&] {
                                   log.push_back("tick");
                                   ++state.ticks;
                                 })));
  (void)ignored;
  EXPECT_EQ(rc, SQLITE_ROW);
  const auto end = std::find(log.begin(), log.end(), "call done");
  ASSERT_NE(end, log.end());
  EXPECT_GE(std::count(log.begin(), end, "tick"), 3);
}

// The converse: an in-memory database's call is made on the loop thread,
// which does nothing else meanwhile.
TEST_P(AsyncSqlite, InMemoryCallIsMadeOnTheLoopThread) {
  plain_connection db(":memory:");
  ASSERT_EQ(::sqlite3_create_function(db.get(), "sleep_30ms", 0, SQLITE_UTF8,
                                      nullptr, sleep_30ms, nullptr, nullptr),
            SQLITE_OK);
  std::vector<std::string> log;
  bool done = false;
  auto slow = [&]() -> vinyl::task<int> {
    const int rc = co_await step_once(db.get(), "SELECT sleep_30ms()");
    log.push_back("call done");
    done = true;
    co_return rc;
  };
  const auto [rc, ignored] = vinyl::run(vinyl::when_all(
      slow(), tick_until(done, 2ms, [&] { log.push_back("tick"); })));
  (void)ignored;
  EXPECT_EQ(rc, SQLITE_ROW);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front(), "call done");
}

// --- Many connections to one WAL database.

TEST_P(Sqlite, TwentyTasksInsertConcurrentlyIntoOneWalDatabase) {
  constexpr int tasks = 20, rows_each = 25;
  temp_dir dir;
  const std::string path = dir.file("wal.db");
  {
    plain_connection setup(path);
    setup.exec(
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE t(task INTEGER, n INTEGER, PRIMARY KEY(task, n));");
  }
  std::mutex mutex;
  std::vector<int> order; // the task of each insert, as they completed
  std::vector<std::string> failures;
  auto writer = [&](int id) -> vinyl::task<void> {
    namespace sq = vinyl::sqlite;
    sqlite3 *db = nullptr;
    auto fail = [&](const char *what) {
      std::lock_guard lock(mutex);
      failures.push_back(std::string(what) + ": " + errmsg_of(db));
    };
    if (co_await sq::open(path.c_str(), &db) != SQLITE_OK) {
      fail("open");
      (void)co_await sq::close(db);
      co_return;
    }
    ::sqlite3_busy_timeout(db, 60'000);
    if (co_await sq::exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr,
                          nullptr) != SQLITE_OK)
      fail("pragma");
    sqlite3_stmt *stmt = nullptr;
    if (co_await sq::prepare_v2(db, "INSERT INTO t VALUES (?, ?)", -1, &stmt,
                                nullptr) != SQLITE_OK)
      fail("prepare");
    for (int n = 0; n != rows_each; ++n) {
      ::sqlite3_bind_int(stmt, 1, id);
      ::sqlite3_bind_int(stmt, 2, n);
      if (co_await sq::step(stmt) != SQLITE_DONE)
        fail("step");
      (void)co_await sq::reset(stmt);
      std::lock_guard lock(mutex);
      order.push_back(id);
    }
    (void)co_await sq::finalize(stmt);
    if (co_await sq::close(db) != SQLITE_OK)
      fail("close");
  };
  auto body = [&]() -> vinyl::task<void> {
    std::vector<vinyl::join_handle> handles;
    for (int id = 0; id != tasks; ++id)
      handles.push_back(vinyl::spawn(writer, id));
    for (auto &h : handles)
      co_await h.join();
  };
  vinyl::run(body());
  EXPECT_EQ(failures, std::vector<std::string>{});

  plain_connection check(path);
  std::set<std::pair<int, int>> present;
  ASSERT_EQ(::sqlite3_exec(
                check.get(), "SELECT task, n FROM t",
                [](void *arg, int, char **values, char **) {
                  static_cast<std::set<std::pair<int, int>> *>(arg)->emplace(
                      std::atoi(values[0]), std::atoi(values[1]));
                  return 0;
                },
                &present, nullptr),
            SQLITE_OK);
  std::set<std::pair<int, int>> expected;
  for (int id = 0; id != tasks; ++id)
    for (int n = 0; n != rows_each; ++n)
      expected.emplace(id, n);
  EXPECT_EQ(present, expected);
  ASSERT_EQ(order.size(), static_cast<std::size_t>(tasks * rows_each));
  if (async()) {
    // The tasks took turns on the loop while their inserts ran on workers:
    // the inserts did not complete one task after another.
    std::size_t switches = 0;
    for (std::size_t i = 1; i != order.size(); ++i)
      switches += order[i] != order[i - 1];
    EXPECT_GT(switches, static_cast<std::size_t>(tasks - 1));
  }
}

// --- Multi-thread connections (SQLITE_OPEN_NOMUTEX): one strand each.

struct overlap_probe {
  std::atomic<int> active{0};
  std::atomic<bool> overlapped{false};
  std::atomic<int> calls{0};
  thread_record threads;
};

void probe_overlap(sqlite3_context *ctx, int, sqlite3_value **) {
  auto &probe = *static_cast<overlap_probe *>(::sqlite3_user_data(ctx));
  if (probe.active.fetch_add(1) != 0)
    probe.overlapped = true;
  {
    std::lock_guard lock(probe.threads.mutex);
    probe.threads.threads.push_back(::pthread_self());
  }
  ::usleep(2'000);
  probe.active.fetch_sub(1);
  ++probe.calls;
  ::sqlite3_result_int(ctx, 1);
}

constexpr int nomutex_flags =
    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

// Tasks sharing one multi-thread connection: their calls run on workers,
// never two at once (SQLite does not serialize them on such a connection).
TEST_P(Sqlite, CallsOnAMultiThreadConnectionNeverOverlap) {
  temp_dir dir;
  const std::string path = dir.file("nomutex.db");
  overlap_probe probe;
  sqlite3 *db = nullptr;
  std::vector<int> results;
  auto body = [&]() -> vinyl::task<void> {
    if (co_await vinyl::sqlite::open_v2(path.c_str(), &db, nomutex_flags,
                                        nullptr) != SQLITE_OK)
      co_return;
    ::sqlite3_create_function(db, "probe", 0, SQLITE_UTF8, &probe,
                              probe_overlap, nullptr, nullptr);
    std::vector<vinyl::join_handle> handles;
    for (int i = 0; i != 8; ++i)
      handles.push_back(vinyl::spawn([&]() -> vinyl::task<void> {
        for (int n = 0; n != 3; ++n)
          results.push_back(co_await step_once(db, "SELECT probe()"));
      }));
    for (auto &h : handles)
      co_await h.join();
    results.push_back(co_await vinyl::sqlite::close(db));
  };
  if (async()) {
    vinyl::run(body());
  } else {
    // Blocking mode: spawned tasks are threads, which a multi-thread
    // connection does not allow; one task makes the calls in turn.
    auto sequential = [&]() -> vinyl::task<void> {
      if (co_await vinyl::sqlite::open_v2(path.c_str(), &db, nomutex_flags,
                                          nullptr) != SQLITE_OK)
        co_return;
      ::sqlite3_create_function(db, "probe", 0, SQLITE_UTF8, &probe,
                                probe_overlap, nullptr, nullptr);
      for (int n = 0; n != 24; ++n)
        results.push_back(co_await step_once(db, "SELECT probe()"));
      results.push_back(co_await vinyl::sqlite::close(db));
    };
    vinyl::block_on(sequential());
  }
  ASSERT_EQ(results.size(), 25u);
  EXPECT_EQ(std::count(results.begin(), results.end() - 1, SQLITE_ROW), 24);
  EXPECT_EQ(results.back(), SQLITE_OK);
  EXPECT_EQ(probe.calls.load(), 24);
  EXPECT_FALSE(probe.overlapped.load());
  EXPECT_EQ(probe.threads.last_here(), !async());
}

// Two multi-thread connections do not wait for each other: the first one's
// call waits until the second one's has started.
struct rendezvous {
  std::atomic<bool> second_started{false};
};

void wait_for_second(sqlite3_context *ctx, int, sqlite3_value **) {
  auto &r = *static_cast<rendezvous *>(::sqlite3_user_data(ctx));
  for (int i = 0; i != 10'000 && !r.second_started.load(); ++i)
    ::usleep(1'000);
  ::sqlite3_result_int(ctx, r.second_started.load() ? 1 : 0);
}

void mark_second(sqlite3_context *ctx, int, sqlite3_value **) {
  static_cast<rendezvous *>(::sqlite3_user_data(ctx))->second_started = true;
  ::sqlite3_result_int(ctx, 1);
}

TEST_P(AsyncSqlite, TwoMultiThreadConnectionsRunInParallel) {
  temp_dir dir;
  plain_connection first(dir.file("first.db"), nomutex_flags);
  plain_connection second(dir.file("second.db"), nomutex_flags);
  ASSERT_EQ(::sqlite3_db_mutex(first.get()), nullptr);
  rendezvous r;
  ::sqlite3_create_function(first.get(), "wait_for_second", 0, SQLITE_UTF8, &r,
                            wait_for_second, nullptr, nullptr);
  ::sqlite3_create_function(second.get(), "mark_second", 0, SQLITE_UTF8, &r,
                            mark_second, nullptr, nullptr);
  auto value_of = [](sqlite3 *db, const char *sql) -> vinyl::task<int> {
    sqlite3_stmt *stmt = nullptr;
    (void)co_await vinyl::sqlite::prepare_v2(db, sql, -1, &stmt, nullptr);
    const int rc = co_await vinyl::sqlite::step(stmt);
    const int value = rc == SQLITE_ROW ? ::sqlite3_column_int(stmt, 0) : -rc;
    (void)co_await vinyl::sqlite::finalize(stmt);
    co_return value;
  };
  const auto [saw_second, marked] = vinyl::run(
      vinyl::when_all(value_of(first.get(), "SELECT wait_for_second()"),
                      value_of(second.get(), "SELECT mark_second()")));
  EXPECT_EQ(marked, 1);
  EXPECT_EQ(saw_second, 1);
}

} // namespace
} // namespace vinyl_sqlite_test
