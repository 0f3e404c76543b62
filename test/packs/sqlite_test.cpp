// Tests of vinyl::sqlite (runtime/include/vinyl/sqlite.hpp), in blocking mode
// and in async mode on both backends: each call gives the same results,
// error codes, sqlite3_errmsg text and errno as the plain SQLite call, on
// file databases (in a temporary directory) and in-memory ones: rows, exec
// and its callback (and the thread it runs on), constraint violations,
// syntax errors, failed opens, errno, a busy database. The rest of
// vinyl_sqlite_test: blobs, backups, checkpoints, closes and file access in
// sqlite_handles_test.cpp, where calls run in sqlite_routing_test.cpp; what
// the parts share in sqlite_test_support.hpp. Assertions are on values and
// on the order of events, never on elapsed time.
#include "sqlite_test_support.hpp"

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include <pthread.h>

namespace vinyl_sqlite_test {
namespace {

using namespace vinyl_test;

// The suites' only instantiations: the other parts add tests to them.
INSTANTIATE_TEST_SUITE_P(Modes, Sqlite,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

INSTANTIATE_TEST_SUITE_P(Backends, AsyncSqlite,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

std::string text(const unsigned char *s) {
  return s ? reinterpret_cast<const char *>(s) : "NULL";
}

// --- Rows: open, exec, prepare_v2/v3, step through rows, reset, finalize,
// close. The plain calls, then the same through vinyl::sqlite.

transcript rows_plain(const std::string &path) {
  transcript t;
  sqlite3 *db = nullptr;
  t.push_back("open " + std::to_string(::sqlite3_open(path.c_str(), &db)));
  t.push_back("create " +
              std::to_string(::sqlite3_exec(
                  db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)",
                  nullptr, nullptr, nullptr)));
  t.push_back("insert " + std::to_string(::sqlite3_exec(
                              db,
                              "INSERT INTO t VALUES (1, 'one'), (2, 'two'), "
                              "(3, 'three')",
                              nullptr, nullptr, nullptr)));
  sqlite3_stmt *stmt = nullptr;
  t.push_back("prepare " + std::to_string(::sqlite3_prepare_v2(
                               db, "SELECT id, name FROM t ORDER BY id", -1,
                               &stmt, nullptr)));
  for (;;) {
    const int rc = ::sqlite3_step(stmt);
    t.push_back("step " + std::to_string(rc));
    if (rc != SQLITE_ROW)
      break;
    t.push_back("row " + std::to_string(::sqlite3_column_int(stmt, 0)) + " " +
                text(::sqlite3_column_text(stmt, 1)));
  }
  t.push_back("reset " + std::to_string(::sqlite3_reset(stmt)));
  t.push_back("step again " + std::to_string(::sqlite3_step(stmt)));
  t.push_back("finalize " + std::to_string(::sqlite3_finalize(stmt)));
  const char *tail = nullptr;
  const char *two = "SELECT count(*) FROM t; SELECT 2";
  t.push_back("prepare_v3 " +
              std::to_string(::sqlite3_prepare_v3(
                  db, two, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail)));
  t.push_back("tail " + std::string(tail));
  const int count_rc = ::sqlite3_step(stmt);
  t.push_back("count step " + std::to_string(count_rc) + " " +
              std::to_string(::sqlite3_column_int(stmt, 0)));
  t.push_back("finalize " + std::to_string(::sqlite3_finalize(stmt)));
  t.push_back("close " + std::to_string(::sqlite3_close(db)));
  return t;
}

vinyl::task<transcript> rows_vinyl(std::string path) {
  namespace sq = vinyl::sqlite;
  transcript t;
  sqlite3 *db = nullptr;
  t.push_back("open " + std::to_string(co_await sq::open(path.c_str(), &db)));
  t.push_back("create " +
              std::to_string(co_await sq::exec(
                  db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)",
                  nullptr, nullptr, nullptr)));
  t.push_back("insert " + std::to_string(co_await sq::exec(
                              db,
                              "INSERT INTO t VALUES (1, 'one'), (2, 'two'), "
                              "(3, 'three')",
                              nullptr, nullptr, nullptr)));
  sqlite3_stmt *stmt = nullptr;
  t.push_back("prepare " + std::to_string(co_await sq::prepare_v2(
                               db, "SELECT id, name FROM t ORDER BY id", -1,
                               &stmt, nullptr)));
  for (;;) {
    const int rc = co_await sq::step(stmt);
    t.push_back("step " + std::to_string(rc));
    if (rc != SQLITE_ROW)
      break;
    t.push_back("row " + std::to_string(::sqlite3_column_int(stmt, 0)) + " " +
                text(::sqlite3_column_text(stmt, 1)));
  }
  t.push_back("reset " + std::to_string(co_await sq::reset(stmt)));
  t.push_back("step again " + std::to_string(co_await sq::step(stmt)));
  t.push_back("finalize " + std::to_string(co_await sq::finalize(stmt)));
  const char *tail = nullptr;
  const char *two = "SELECT count(*) FROM t; SELECT 2";
  t.push_back("prepare_v3 " +
              std::to_string(co_await sq::prepare_v3(
                  db, two, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail)));
  t.push_back("tail " + std::string(tail));
  const int count_rc = co_await sq::step(stmt);
  t.push_back("count step " + std::to_string(count_rc) + " " +
              std::to_string(::sqlite3_column_int(stmt, 0)));
  t.push_back("finalize " + std::to_string(co_await sq::finalize(stmt)));
  t.push_back("close " + std::to_string(co_await sq::close(db)));
  co_return t;
}

TEST_P(Sqlite, OpenPrepareAndStepThroughRowsAsThePlainCalls) {
  for (const bool file : {true, false}) {
    SCOPED_TRACE(file ? "file database" : "in-memory database");
    temp_dir dir;
    const transcript expected =
        rows_plain(file ? dir.file("plain.db") : ":memory:");
    const transcript got =
        vinyl::block_on(rows_vinyl(file ? dir.file("vinyl.db") : ":memory:"));
    EXPECT_EQ(got, expected);
    EXPECT_TRUE(contains(got, "row 3 three"));
    EXPECT_TRUE(contains(got, "count step 100 3"));
    EXPECT_TRUE(contains(got, "close 0"));
  }
}

// --- exec with a callback, and a callback that stops the query.

struct callback_log {
  std::vector<std::string> rows;
  std::vector<pthread_t> threads;
  int stop_after = -1; // rows before the callback asks to stop
};

int collect_row(void *arg, int columns, char **values, char **names) {
  auto &log = *static_cast<callback_log *>(arg);
  std::string row;
  for (int i = 0; i != columns; ++i)
    row += std::string(names[i]) + "=" + (values[i] ? values[i] : "NULL") + ";";
  log.rows.push_back(row);
  log.threads.push_back(::pthread_self());
  return log.stop_after >= 0 &&
         static_cast<int>(log.rows.size()) > log.stop_after;
}

const char *const exec_setup =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);"
    "INSERT INTO t VALUES (1, 'one'), (2, NULL), (3, 'three');";

transcript exec_plain(sqlite3 *db, callback_log &all, callback_log &stopped) {
  transcript t;
  t.push_back("setup " + std::to_string(::sqlite3_exec(db, exec_setup, nullptr,
                                                       nullptr, nullptr)));
  t.push_back("all " +
              std::to_string(::sqlite3_exec(db, "SELECT * FROM t ORDER BY id",
                                            collect_row, &all, nullptr)));
  char *message = nullptr;
  t.push_back("stopped " +
              std::to_string(::sqlite3_exec(db, "SELECT * FROM t ORDER BY id",
                                            collect_row, &stopped, &message)));
  t.push_back(std::string("message ") + (message ? message : "NULL"));
  t.push_back("errmsg " + errmsg_of(db));
  ::sqlite3_free(message);
  return t;
}

vinyl::task<transcript> exec_vinyl(sqlite3 *db, callback_log &all,
                                   callback_log &stopped) {
  namespace sq = vinyl::sqlite;
  transcript t;
  t.push_back("setup " + std::to_string(co_await sq::exec(
                             db, exec_setup, nullptr, nullptr, nullptr)));
  t.push_back("all " + std::to_string(
                           co_await sq::exec(db, "SELECT * FROM t ORDER BY id",
                                             collect_row, &all, nullptr)));
  char *message = nullptr;
  t.push_back("stopped " + std::to_string(co_await sq::exec(
                               db, "SELECT * FROM t ORDER BY id", collect_row,
                               &stopped, &message)));
  t.push_back(std::string("message ") + (message ? message : "NULL"));
  t.push_back("errmsg " + errmsg_of(db));
  ::sqlite3_free(message);
  co_return t;
}

TEST_P(Sqlite, ExecWithACallbackAsThePlainCall) {
  for (const bool file : {true, false}) {
    SCOPED_TRACE(file ? "file database" : "in-memory database");
    temp_dir dir;
    plain_connection plain_db(file ? dir.file("plain.db") : ":memory:");
    plain_connection vinyl_db(file ? dir.file("vinyl.db") : ":memory:");
    callback_log plain_all, plain_stopped, all, stopped;
    plain_stopped.stop_after = stopped.stop_after = 1;
    const transcript expected =
        exec_plain(plain_db.get(), plain_all, plain_stopped);
    const transcript got =
        vinyl::block_on(exec_vinyl(vinyl_db.get(), all, stopped));
    EXPECT_EQ(got, expected);
    EXPECT_EQ(all.rows, plain_all.rows);
    EXPECT_EQ(stopped.rows, plain_stopped.rows);
    EXPECT_EQ(all.rows,
              (std::vector<std::string>{"id=1;name=one;", "id=2;name=NULL;",
                                        "id=3;name=three;"}));
    EXPECT_TRUE(contains(got, "stopped " + std::to_string(SQLITE_ABORT)));
  }
}

// The callback runs where the call runs: on a worker for a file database in
// async mode, on the calling thread otherwise.
TEST_P(Sqlite, ExecCallbackRunsOnAWorkerForAFileDatabaseInAsyncMode) {
  temp_dir dir;
  for (const bool file : {true, false}) {
    SCOPED_TRACE(file ? "file database" : "in-memory database");
    plain_connection db(file ? dir.file("test.db") : ":memory:");
    db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);");
    callback_log log;
    auto body = [&]() -> vinyl::task<int> {
      co_return co_await vinyl::sqlite::exec(db.get(), "SELECT x FROM t",
                                             collect_row, &log, nullptr);
    };
    EXPECT_EQ(vinyl::block_on(body()), SQLITE_OK);
    ASSERT_EQ(log.threads.size(), 2u);
    const bool here = ::pthread_equal(log.threads[0], ::pthread_self()) != 0;
    EXPECT_EQ(here, !(async() && file));
  }
}

// --- Errors: a constraint violation, a syntax error, an open that fails.

const char *const constraint_setup =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "INSERT INTO t VALUES (1, 'one');";

transcript constraint_plain(sqlite3 *db) {
  transcript t;
  t.push_back("setup " + std::to_string(::sqlite3_exec(
                             db, constraint_setup, nullptr, nullptr, nullptr)));
  sqlite3_stmt *stmt = nullptr;
  t.push_back("prepare " +
              std::to_string(::sqlite3_prepare_v2(
                  db, "INSERT INTO t VALUES (1, 'uno')", -1, &stmt, nullptr)));
  t.push_back("step " + std::to_string(::sqlite3_step(stmt)));
  t.push_back("extended " + std::to_string(::sqlite3_extended_errcode(db)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("reset " + std::to_string(::sqlite3_reset(stmt)));
  t.push_back("finalize " + std::to_string(::sqlite3_finalize(stmt)));
  char *message = nullptr;
  t.push_back("exec " + std::to_string(::sqlite3_exec(
                            db, "INSERT INTO t VALUES (2, 'one')", nullptr,
                            nullptr, &message)));
  t.push_back(std::string("message ") + (message ? message : "NULL"));
  ::sqlite3_free(message);
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("syntax " + std::to_string(::sqlite3_prepare_v2(db, "SELEC 1", -1,
                                                              &stmt, nullptr)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back(std::string("stmt ") + (stmt ? "set" : "NULL"));
  return t;
}

vinyl::task<transcript> constraint_vinyl(sqlite3 *db) {
  namespace sq = vinyl::sqlite;
  transcript t;
  t.push_back("setup " + std::to_string(co_await sq::exec(
                             db, constraint_setup, nullptr, nullptr, nullptr)));
  sqlite3_stmt *stmt = nullptr;
  t.push_back("prepare " +
              std::to_string(co_await sq::prepare_v2(
                  db, "INSERT INTO t VALUES (1, 'uno')", -1, &stmt, nullptr)));
  t.push_back("step " + std::to_string(co_await sq::step(stmt)));
  t.push_back("extended " + std::to_string(::sqlite3_extended_errcode(db)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("reset " + std::to_string(co_await sq::reset(stmt)));
  t.push_back("finalize " + std::to_string(co_await sq::finalize(stmt)));
  char *message = nullptr;
  t.push_back("exec " + std::to_string(co_await sq::exec(
                            db, "INSERT INTO t VALUES (2, 'one')", nullptr,
                            nullptr, &message)));
  t.push_back(std::string("message ") + (message ? message : "NULL"));
  ::sqlite3_free(message);
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("syntax " + std::to_string(co_await sq::prepare_v2(
                              db, "SELEC 1", -1, &stmt, nullptr)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back(std::string("stmt ") + (stmt ? "set" : "NULL"));
  co_return t;
}

TEST_P(Sqlite, ConstraintViolationAndSyntaxErrorAsThePlainCalls) {
  for (const bool file : {true, false}) {
    SCOPED_TRACE(file ? "file database" : "in-memory database");
    temp_dir dir;
    plain_connection plain_db(file ? dir.file("plain.db") : ":memory:");
    plain_connection vinyl_db(file ? dir.file("vinyl.db") : ":memory:");
    const transcript expected = constraint_plain(plain_db.get());
    const transcript got = vinyl::block_on(constraint_vinyl(vinyl_db.get()));
    EXPECT_EQ(got, expected);
    EXPECT_TRUE(contains(got, "step " + std::to_string(SQLITE_CONSTRAINT)));
    EXPECT_TRUE(contains(
        got, "extended " + std::to_string(SQLITE_CONSTRAINT_PRIMARYKEY)));
    EXPECT_TRUE(contains(got, "errmsg UNIQUE constraint failed: t.id"));
    EXPECT_TRUE(contains(got, "message UNIQUE constraint failed: t.name"));
    EXPECT_TRUE(contains(got, "syntax " + std::to_string(SQLITE_ERROR)));
  }
}

TEST_P(Sqlite, FailedOpenAsThePlainCall) {
  temp_dir dir;
  const std::string missing = dir.file("no/such/dir/x.db");
  sqlite3 *plain_db = nullptr;
  errno = 0;
  const int plain_rc = ::sqlite3_open(missing.c_str(), &plain_db);
  const int plain_errno = errno;
  const std::string plain_message = errmsg_of(plain_db);
  ::sqlite3_close(plain_db);
  sqlite3 *plain_ro = nullptr;
  const int plain_ro_rc = ::sqlite3_open_v2(
      dir.file("absent.db").c_str(), &plain_ro, SQLITE_OPEN_READONLY, nullptr);
  ::sqlite3_close(plain_ro);

  auto body = [&]() -> vinyl::task<transcript> {
    transcript t;
    sqlite3 *db = nullptr;
    errno = 0;
    const int rc = co_await vinyl::sqlite::open(missing.c_str(), &db);
    t.push_back("open " + std::to_string(rc) + " errno " +
                std::to_string(errno));
    t.push_back("errmsg " + errmsg_of(db));
    t.push_back("close " + std::to_string(co_await vinyl::sqlite::close(db)));
    sqlite3 *ro = nullptr;
    t.push_back("open_v2 " + std::to_string(co_await vinyl::sqlite::open_v2(
                                 dir.file("absent.db").c_str(), &ro,
                                 SQLITE_OPEN_READONLY, nullptr)));
    t.push_back("close " + std::to_string(co_await vinyl::sqlite::close(ro)));
    co_return t;
  };
  EXPECT_EQ(vinyl::block_on(body()),
            (transcript{"open " + std::to_string(plain_rc) + " errno " +
                            std::to_string(plain_errno),
                        "errmsg " + plain_message, "close 0",
                        "open_v2 " + std::to_string(plain_ro_rc), "close 0"}));
  EXPECT_EQ(plain_rc, SQLITE_CANTOPEN);
  EXPECT_EQ(plain_ro_rc, SQLITE_CANTOPEN);
}

// The worker makes the call with the caller's errno and hands errno back:
// a call that does not touch errno leaves it as it was.
TEST_P(Sqlite, ErrnoIsLeftAsThePlainCallLeavesIt) {
  temp_dir dir;
  plain_connection db(dir.file("test.db"));
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);");
  sqlite3_stmt *stmt = nullptr;
  ASSERT_EQ(::sqlite3_prepare_v2(db.get(), "SELECT 1", -1, &stmt, nullptr),
            SQLITE_OK);
  auto body = [&]() -> vinyl::task<std::pair<int, int>> {
    errno = 12345;
    const int rc = co_await vinyl::sqlite::step(stmt);
    co_return std::pair{rc, errno};
  };
  const auto [rc, error] = vinyl::block_on(body());
  EXPECT_EQ(rc, SQLITE_ROW);
  EXPECT_EQ(error, 12345);
  ::sqlite3_finalize(stmt);
}

// --- A busy database: SQLITE_BUSY once the busy timeout runs out, with
// the same message.

TEST_P(Sqlite, BusyDatabaseGivesSqliteBusyAfterTheTimeout) {
  temp_dir dir;
  const std::string path = dir.file("busy.db");
  plain_connection holder(path);
  holder.exec("CREATE TABLE t(x)");
  holder.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");

  plain_connection plain_db(path);
  ::sqlite3_busy_timeout(plain_db.get(), 20);
  transcript expected;
  expected.push_back("exec " + std::to_string(::sqlite3_exec(
                                   plain_db.get(), "INSERT INTO t VALUES (2)",
                                   nullptr, nullptr, nullptr)));
  expected.push_back("errmsg " + errmsg_of(plain_db.get()));
  sqlite3_stmt *plain_stmt = nullptr;
  ::sqlite3_prepare_v2(plain_db.get(), "INSERT INTO t VALUES (3)", -1,
                       &plain_stmt, nullptr);
  expected.push_back("step " + std::to_string(::sqlite3_step(plain_stmt)));
  expected.push_back("errmsg " + errmsg_of(plain_db.get()));
  expected.push_back("reset " + std::to_string(::sqlite3_reset(plain_stmt)));
  ::sqlite3_finalize(plain_stmt);

  auto body = [&]() -> vinyl::task<transcript> {
    namespace sq = vinyl::sqlite;
    transcript t;
    sqlite3 *db = nullptr;
    if (co_await sq::open(path.c_str(), &db) != SQLITE_OK)
      co_return t;
    ::sqlite3_busy_timeout(db, 20);
    t.push_back("exec " +
                std::to_string(co_await sq::exec(db, "INSERT INTO t VALUES (2)",
                                                 nullptr, nullptr, nullptr)));
    t.push_back("errmsg " + errmsg_of(db));
    sqlite3_stmt *stmt = nullptr;
    (void)co_await sq::prepare_v2(db, "INSERT INTO t VALUES (3)", -1, &stmt,
                                  nullptr);
    t.push_back("step " + std::to_string(co_await sq::step(stmt)));
    t.push_back("errmsg " + errmsg_of(db));
    t.push_back("reset " + std::to_string(co_await sq::reset(stmt)));
    (void)co_await sq::finalize(stmt);
    (void)co_await sq::close(db);
    co_return t;
  };
  EXPECT_EQ(vinyl::block_on(body()), expected);
  EXPECT_EQ(expected.front(), "exec " + std::to_string(SQLITE_BUSY));
  EXPECT_EQ(expected[1], "errmsg database is locked");
  holder.exec("ROLLBACK");
}

} // namespace
} // namespace vinyl_sqlite_test
