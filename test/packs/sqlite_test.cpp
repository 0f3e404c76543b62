// Tests of vinyl::sqlite (runtime/include/vinyl/sqlite.hpp), in blocking mode
// and in async mode on both backends: each call gives the same results,
// error codes, sqlite3_errmsg text and errno as the plain SQLite call, on
// file databases (in a temporary directory) and in-memory ones (rows, exec
// and its callback, constraint violations, syntax errors, failed opens, a
// busy database, blobs, backups, checkpoints, close with statements left).
// In async mode: every file access of a file database's calls is made by a
// worker (a VFS shim counts them per thread), a call on an in-memory or
// temporary database runs on the loop thread, an attached file moves a
// connection's calls to a worker, the loop runs other tasks during a slow
// offloaded call, calls on a multi-thread (SQLITE_OPEN_NOMUTEX) connection
// never overlap while two such connections work in parallel, and 20 tasks
// with connections of their own insert into one WAL database concurrently.
// Assertions are on values and on the order of events, never on elapsed
// time.
#include "test_support.hpp"

#include <vinyl/sqlite.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using transcript = std::vector<std::string>;

class Sqlite : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Sqlite,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncSqlite : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncSqlite,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// A directory of its own under $TMPDIR (or /tmp), removed with its files.
class temp_dir {
public:
  temp_dir() {
    const char *base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/vinyl_sqlite_XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw std::runtime_error(std::strerror(errno));
    path_ = pattern;
  }
  temp_dir(const temp_dir &) = delete;
  temp_dir &operator=(const temp_dir &) = delete;
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const char *name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

// A connection the test itself opens and closes with plain calls.
class plain_connection {
public:
  explicit plain_connection(const std::string &path,
                            int flags = SQLITE_OPEN_READWRITE |
                                        SQLITE_OPEN_CREATE) {
    if (::sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
  }
  plain_connection(const plain_connection &) = delete;
  plain_connection &operator=(const plain_connection &) = delete;
  ~plain_connection() { ::sqlite3_close_v2(db_); }
  sqlite3 *get() const { return db_; }
  void exec(const char *sql) {
    if (::sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(::sqlite3_errmsg(db_));
  }

private:
  sqlite3 *db_ = nullptr;
};

std::string text(const unsigned char *s) {
  return s ? reinterpret_cast<const char *>(s) : "NULL";
}

std::string errmsg_of(sqlite3 *db) { return ::sqlite3_errmsg(db); }

bool contains(const transcript &t, const std::string &line) {
  return std::find(t.begin(), t.end(), line) != t.end();
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

// --- close with statements left, close_v2, blobs, backups, checkpoints.

transcript handles_plain(const std::string &path) {
  transcript t;
  sqlite3 *db = nullptr;
  t.push_back("open " + std::to_string(::sqlite3_open(path.c_str(), &db)));
  t.push_back("setup " + std::to_string(::sqlite3_exec(
                             db,
                             "PRAGMA journal_mode=WAL;"
                             "CREATE TABLE b(id INTEGER PRIMARY KEY, data);"
                             "INSERT INTO b VALUES (1, zeroblob(16)),"
                             " (2, x'00112233');",
                             nullptr, nullptr, nullptr)));
  sqlite3_blob *blob = nullptr;
  t.push_back("blob_open " + std::to_string(::sqlite3_blob_open(
                                 db, "main", "b", "data", 1, 1, &blob)));
  t.push_back("blob_write " + std::to_string(::sqlite3_blob_write(
                                  blob, "0123456789abcdef", 16, 0)));
  char buf[17] = {};
  const int read_rc = ::sqlite3_blob_read(blob, buf, 16, 0);
  t.push_back("blob_read " + std::to_string(read_rc) + " " + buf);
  t.push_back("blob_read past end " +
              std::to_string(::sqlite3_blob_read(blob, buf, 16, 8)));
  t.push_back("blob_reopen " + std::to_string(::sqlite3_blob_reopen(blob, 2)));
  t.push_back("bytes " + std::to_string(::sqlite3_blob_bytes(blob)));
  t.push_back("blob_reopen missing " +
              std::to_string(::sqlite3_blob_reopen(blob, 99)));
  t.push_back("blob_close " + std::to_string(::sqlite3_blob_close(blob)));
  // A blob written and closed: the close commits.
  t.push_back("blob_open " + std::to_string(::sqlite3_blob_open(
                                 db, "main", "b", "data", 2, 1, &blob)));
  t.push_back("blob_write " +
              std::to_string(::sqlite3_blob_write(blob, "wxyz", 4, 0)));
  t.push_back("blob_close " + std::to_string(::sqlite3_blob_close(blob)));

  sqlite3 *copy = nullptr;
  ::sqlite3_open(":memory:", &copy);
  sqlite3_backup *backup = ::sqlite3_backup_init(copy, "main", db, "main");
  t.push_back(std::string("backup_init ") + (backup ? "set" : "NULL"));
  t.push_back("backup_step " +
              std::to_string(::sqlite3_backup_step(backup, 1)));
  t.push_back("backup_step " +
              std::to_string(::sqlite3_backup_step(backup, -1)));
  t.push_back("backup_finish " +
              std::to_string(::sqlite3_backup_finish(backup)));
  sqlite3_stmt *stmt = nullptr;
  ::sqlite3_prepare_v2(copy, "SELECT data FROM b WHERE id = 1", -1, &stmt,
                       nullptr);
  const int copy_rc = ::sqlite3_step(stmt);
  t.push_back(
      "copy step " + std::to_string(copy_rc) + " " +
      std::string(static_cast<const char *>(::sqlite3_column_blob(stmt, 0)),
                  16));
  ::sqlite3_finalize(stmt);
  ::sqlite3_close(copy);

  int log = -1, done = -1;
  const int checkpoint_rc = ::sqlite3_wal_checkpoint_v2(
      db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  t.push_back("checkpoint " + std::to_string(checkpoint_rc) + " " +
              std::to_string(log) + " " + std::to_string(done));
  t.push_back("checkpoint bad name " +
              std::to_string(::sqlite3_wal_checkpoint_v2(
                  db, "nowhere", SQLITE_CHECKPOINT_PASSIVE, &log, &done)));
  t.push_back("errmsg " + errmsg_of(db));

  ::sqlite3_prepare_v2(db, "SELECT 1", -1, &stmt, nullptr);
  t.push_back("close busy " + std::to_string(::sqlite3_close(db)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("close_v2 " + std::to_string(::sqlite3_close_v2(db)));
  t.push_back("zombie finalize " + std::to_string(::sqlite3_finalize(stmt)));
  return t;
}

// vfs: nullptr for the default one, which sqlite3_open uses.
vinyl::task<transcript> handles_vinyl(std::string path,
                                      const char *vfs = nullptr) {
  namespace sq = vinyl::sqlite;
  transcript t;
  sqlite3 *db = nullptr;
  t.push_back("open " + std::to_string(co_await sq::open_v2(
                            path.c_str(), &db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs)));
  t.push_back("setup " + std::to_string(co_await sq::exec(
                             db,
                             "PRAGMA journal_mode=WAL;"
                             "CREATE TABLE b(id INTEGER PRIMARY KEY, data);"
                             "INSERT INTO b VALUES (1, zeroblob(16)),"
                             " (2, x'00112233');",
                             nullptr, nullptr, nullptr)));
  sqlite3_blob *blob = nullptr;
  t.push_back("blob_open " + std::to_string(co_await sq::blob_open(
                                 db, "main", "b", "data", 1, 1, &blob)));
  t.push_back("blob_write " + std::to_string(co_await sq::blob_write(
                                  blob, "0123456789abcdef", 16, 0)));
  char buf[17] = {};
  const int read_rc = co_await sq::blob_read(blob, buf, 16, 0);
  t.push_back("blob_read " + std::to_string(read_rc) + " " + buf);
  t.push_back("blob_read past end " +
              std::to_string(co_await sq::blob_read(blob, buf, 16, 8)));
  t.push_back("blob_reopen " +
              std::to_string(co_await sq::blob_reopen(blob, 2)));
  t.push_back("bytes " + std::to_string(::sqlite3_blob_bytes(blob)));
  t.push_back("blob_reopen missing " +
              std::to_string(co_await sq::blob_reopen(blob, 99)));
  t.push_back("blob_close " + std::to_string(co_await sq::blob_close(blob)));
  // A blob written and closed: the close commits.
  t.push_back("blob_open " + std::to_string(co_await sq::blob_open(
                                 db, "main", "b", "data", 2, 1, &blob)));
  t.push_back("blob_write " +
              std::to_string(co_await sq::blob_write(blob, "wxyz", 4, 0)));
  t.push_back("blob_close " + std::to_string(co_await sq::blob_close(blob)));

  sqlite3 *copy = nullptr;
  (void)co_await sq::open(":memory:", &copy);
  sqlite3_backup *backup = co_await sq::backup_init(copy, "main", db, "main");
  t.push_back(std::string("backup_init ") + (backup ? "set" : "NULL"));
  t.push_back("backup_step " +
              std::to_string(co_await sq::backup_step(backup, 1)));
  t.push_back("backup_step " +
              std::to_string(co_await sq::backup_step(backup, -1)));
  t.push_back("backup_finish " +
              std::to_string(co_await sq::backup_finish(backup)));
  sqlite3_stmt *stmt = nullptr;
  (void)co_await sq::prepare_v2(copy, "SELECT data FROM b WHERE id = 1", -1,
                                &stmt, nullptr);
  const int copy_rc = co_await sq::step(stmt);
  t.push_back(
      "copy step " + std::to_string(copy_rc) + " " +
      std::string(static_cast<const char *>(::sqlite3_column_blob(stmt, 0)),
                  16));
  (void)co_await sq::finalize(stmt);
  (void)co_await sq::close(copy);

  int log = -1, done = -1;
  const int checkpoint_rc = co_await sq::wal_checkpoint_v2(
      db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  t.push_back("checkpoint " + std::to_string(checkpoint_rc) + " " +
              std::to_string(log) + " " + std::to_string(done));
  t.push_back("checkpoint bad name " +
              std::to_string(co_await sq::wal_checkpoint_v2(
                  db, "nowhere", SQLITE_CHECKPOINT_PASSIVE, &log, &done)));
  t.push_back("errmsg " + errmsg_of(db));

  (void)co_await sq::prepare_v2(db, "SELECT 1", -1, &stmt, nullptr);
  t.push_back("close busy " + std::to_string(co_await sq::close(db)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("close_v2 " + std::to_string(co_await sq::close_v2(db)));
  t.push_back("zombie finalize " + std::to_string(co_await sq::finalize(stmt)));
  co_return t;
}

TEST_P(Sqlite, BlobsBackupsCheckpointsAndClosesAsThePlainCalls) {
  temp_dir dir;
  const transcript expected = handles_plain(dir.file("plain.db"));
  const transcript got = vinyl::block_on(handles_vinyl(dir.file("vinyl.db")));
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(contains(got, "blob_read 0 0123456789abcdef"));
  EXPECT_TRUE(contains(got, "copy step 100 0123456789abcdef"));
  EXPECT_TRUE(contains(got, "close busy " + std::to_string(SQLITE_BUSY)));
  EXPECT_TRUE(contains(got, "zombie finalize 0"));
}

// --- No file access on the loop thread.

// A VFS that forwards everything to the default one and counts the calls
// that touch a file (open, read, write, sync, lock, shared memory, sleep...)
// made on the test's thread, which runs the loop in async mode, and on
// other threads.
struct access_count {
  pthread_t test_thread{};
  std::atomic<int> on_test_thread{0};
  std::atomic<int> elsewhere{0};
};

access_count accesses;

void count_access() {
  if (::pthread_equal(::pthread_self(), accesses.test_thread))
    ++accesses.on_test_thread;
  else
    ++accesses.elsewhere;
}

struct probe_file {
  sqlite3_file base;
  sqlite3_file *real; // placed right after this struct
};

sqlite3_file *real_of(sqlite3_file *f) {
  return reinterpret_cast<probe_file *>(f)->real;
}

sqlite3_vfs *real_vfs(sqlite3_vfs *vfs) {
  return static_cast<sqlite3_vfs *>(vfs->pAppData);
}

const sqlite3_io_methods probe_io_methods = {
    3,
    [](sqlite3_file *f) {
      count_access();
      return real_of(f)->pMethods->xClose(real_of(f));
    },
    [](sqlite3_file *f, void *buf, int n, sqlite3_int64 offset) {
      count_access();
      return real_of(f)->pMethods->xRead(real_of(f), buf, n, offset);
    },
    [](sqlite3_file *f, const void *buf, int n, sqlite3_int64 offset) {
      count_access();
      return real_of(f)->pMethods->xWrite(real_of(f), buf, n, offset);
    },
    [](sqlite3_file *f, sqlite3_int64 size) {
      count_access();
      return real_of(f)->pMethods->xTruncate(real_of(f), size);
    },
    [](sqlite3_file *f, int flags) {
      count_access();
      return real_of(f)->pMethods->xSync(real_of(f), flags);
    },
    [](sqlite3_file *f, sqlite3_int64 *size) {
      count_access();
      return real_of(f)->pMethods->xFileSize(real_of(f), size);
    },
    [](sqlite3_file *f, int lock) {
      count_access();
      return real_of(f)->pMethods->xLock(real_of(f), lock);
    },
    [](sqlite3_file *f, int lock) {
      count_access();
      return real_of(f)->pMethods->xUnlock(real_of(f), lock);
    },
    [](sqlite3_file *f, int *out) {
      count_access();
      return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
    },
    [](sqlite3_file *f, int op, void *arg) {
      count_access();
      return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
    },
    [](sqlite3_file *f) {
      return real_of(f)->pMethods->xSectorSize(real_of(f));
    },
    [](sqlite3_file *f) {
      return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
    },
    [](sqlite3_file *f, int page, int size, int extend, void volatile **p) {
      count_access();
      return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, p);
    },
    [](sqlite3_file *f, int offset, int n, int flags) {
      count_access();
      return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
    },
    [](sqlite3_file *f) {
      count_access();
      real_of(f)->pMethods->xShmBarrier(real_of(f));
    },
    [](sqlite3_file *f, int delete_flag) {
      count_access();
      return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
    },
    [](sqlite3_file *f, sqlite3_int64 offset, int n, void **p) {
      count_access();
      return real_of(f)->pMethods->xFetch(real_of(f), offset, n, p);
    },
    [](sqlite3_file *f, sqlite3_int64 offset, void *p) {
      count_access();
      return real_of(f)->pMethods->xUnfetch(real_of(f), offset, p);
    },
};

int probe_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file,
               int flags, int *out_flags) {
  count_access();
  auto *probe = reinterpret_cast<probe_file *>(file);
  probe->real = reinterpret_cast<sqlite3_file *>(probe + 1);
  const int rc =
      real_vfs(vfs)->xOpen(real_vfs(vfs), name, probe->real, flags, out_flags);
  probe->base.pMethods = probe->real->pMethods ? &probe_io_methods : nullptr;
  return rc;
}

// Registered once, under the name "vinyl_probe"; not the default.
const char *probe_vfs_name() {
  static sqlite3_vfs vfs = [] {
    sqlite3_vfs *real = ::sqlite3_vfs_find(nullptr);
    sqlite3_vfs v = *real;
    v.pNext = nullptr;
    v.zName = "vinyl_probe";
    v.pAppData = real;
    v.szOsFile = static_cast<int>(sizeof(probe_file)) + real->szOsFile;
    v.xOpen = probe_open;
    v.xDelete = [](sqlite3_vfs *self, const char *name, int sync) {
      count_access();
      return real_vfs(self)->xDelete(real_vfs(self), name, sync);
    };
    v.xAccess = [](sqlite3_vfs *self, const char *name, int flags, int *out) {
      count_access();
      return real_vfs(self)->xAccess(real_vfs(self), name, flags, out);
    };
    v.xFullPathname = [](sqlite3_vfs *self, const char *name, int n,
                         char *out) {
      count_access();
      return real_vfs(self)->xFullPathname(real_vfs(self), name, n, out);
    };
    v.xSleep = [](sqlite3_vfs *self, int microseconds) {
      count_access();
      return real_vfs(self)->xSleep(real_vfs(self), microseconds);
    };
    // The rest (dlopen, randomness, time) do not touch the database: they
    // go to the real VFS, which gets itself as their first argument.
    v.xDlOpen = [](sqlite3_vfs *self, const char *name) {
      return real_vfs(self)->xDlOpen(real_vfs(self), name);
    };
    v.xDlError = [](sqlite3_vfs *self, int n, char *out) {
      real_vfs(self)->xDlError(real_vfs(self), n, out);
    };
    v.xDlSym = [](sqlite3_vfs *self, void *handle, const char *symbol) {
      return real_vfs(self)->xDlSym(real_vfs(self), handle, symbol);
    };
    v.xDlClose = [](sqlite3_vfs *self, void *handle) {
      real_vfs(self)->xDlClose(real_vfs(self), handle);
    };
    v.xRandomness = [](sqlite3_vfs *self, int n, char *out) {
      return real_vfs(self)->xRandomness(real_vfs(self), n, out);
    };
    v.xCurrentTime = [](sqlite3_vfs *self, double *out) {
      return real_vfs(self)->xCurrentTime(real_vfs(self), out);
    };
    v.xGetLastError = [](sqlite3_vfs *self, int n, char *out) {
      return real_vfs(self)->xGetLastError(real_vfs(self), n, out);
    };
    v.xCurrentTimeInt64 = [](sqlite3_vfs *self, sqlite3_int64 *out) {
      return real_vfs(self)->xCurrentTimeInt64(real_vfs(self), out);
    };
    v.xSetSystemCall = nullptr;
    v.xGetSystemCall = nullptr;
    v.xNextSystemCall = nullptr;
    v.iVersion = 2;
    return v;
  }();
  static const bool registered = ::sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
  return registered ? vfs.zName : nullptr;
}

// Async mode: every file access of every call on a file database
// (prepare, step, exec, blobs, backups, checkpoints, closes with and
// without statements left) is made by a worker; none blocks the loop.
// Blocking mode: all of them here.
TEST_P(Sqlite, FileAccessHappensOnWorkersOnlyInAsyncMode) {
  const char *vfs = probe_vfs_name();
  ASSERT_NE(vfs, nullptr);
  temp_dir dir;
  accesses.test_thread = ::pthread_self();
  accesses.on_test_thread = 0;
  accesses.elsewhere = 0;
  const transcript got =
      vinyl::block_on(handles_vinyl(dir.file("probed.db"), vfs));
  EXPECT_TRUE(contains(got, "copy step 100 0123456789abcdef"));
  EXPECT_TRUE(contains(got, "zombie finalize 0"));
  if (async()) {
    EXPECT_EQ(accesses.on_test_thread.load(), 0);
    EXPECT_GT(accesses.elsewhere.load(), 0);
  } else {
    EXPECT_GT(accesses.on_test_thread.load(), 0);
    EXPECT_EQ(accesses.elsewhere.load(), 0);
  }
}

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
