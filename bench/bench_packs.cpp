// Benchmark of the packs' concurrency on one thread in async mode, against
// the same work one call after another (docs/benchmarks.md, "Packs:
// concurrency on one thread"). Not a test: run by hand. Each part starts
// its own server, as the pack tests do (test/packs/pg_server.hpp,
// redis_server.hpp).
//
//   bench_packs pg [tasks] [seconds]   each task connects (PQconnectStart/
//                                      PQconnectPoll) and runs SELECT
//                                      pg_sleep(seconds) on its own
//                                      connection; then the same one after
//                                      another in blocking mode
//   bench_packs redis [tasks] [secs]   each task connects and BLPOPs an
//                                      empty list with a timeout of secs;
//                                      then a sample one after another
//   bench_packs sqlite [tasks] [rows]  tasks each run a query that scans
//                                      `rows` rows of a file database,
//                                      through offload, for pool sizes 1,
//                                      2, 4 and 8 (a process each)
#include "pg_server.hpp"
#include "redis_server.hpp"

#include <vinyl/hiredis.hpp>
#include <vinyl/offload.hpp>
#include <vinyl/pq.hpp>
#include <vinyl/sqlite.hpp>
#include <vinyl/vinyl.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

void raise_fd_limit(rlim_t n) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < n) {
    limit.rlim_cur = n < limit.rlim_max ? n : limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Runs `make(i)` for i in [0, n) as spawned tasks on one loop.
template <class F> void run_all(int n, F make) {
  vinyl::set_io_mode(vinyl::io_mode::async);
  auto body = [&]() -> vinyl::task<void> {
    std::vector<vinyl::join_handle> handles;
    for (int i = 0; i != n; ++i)
      handles.push_back(vinyl::spawn(make, i));
    for (auto &h : handles)
      co_await h.join();
  };
  vinyl::run(body());
}

int pg(int n, double sleep) {
  vinyl_test::pg_server server;
  const std::string info = server.conninfo();
  const std::string sql = "SELECT pg_sleep(" + std::to_string(sleep) + ")";
  int ok = 0;
  std::vector<double> connected(static_cast<std::size_t>(n));
  const auto start = clock_type::now();
  run_all(n, [&](int i) -> vinyl::task<void> {
    PGconn *conn = co_await vinyl::pq::connectdb(info.c_str());
    connected[static_cast<std::size_t>(i)] = seconds_since(start);
    PGresult *r = co_await vinyl::pq::exec(conn, sql.c_str());
    ok += PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    PQfinish(conn);
  });
  const double together = seconds_since(start);
  double last_connect = 0;
  for (double t : connected)
    last_connect = t > last_connect ? t : last_connect;
  std::printf("pg: %d tasks, pg_sleep(%.2f): async mode, one thread: %.2f s "
              "(last connection made at %.2f s), %d/%d ok\n",
              n, sleep, together, last_connect, ok, n);
  vinyl::set_io_mode(vinyl::io_mode::blocking);
  const auto one_by_one = clock_type::now();
  ok = 0;
  for (int i = 0; i != n; ++i) {
    PGconn *conn = PQconnectdb(info.c_str());
    PGresult *r = PQexec(conn, sql.c_str());
    ok += PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    PQfinish(conn);
  }
  std::printf("pg: the same one after another (plain libpq): %.2f s, %d/%d "
              "ok\n",
              seconds_since(one_by_one), ok, n);
  return 0;
}

int redis(int n, double timeout) {
  std::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit(static_cast<rlim_t>(2 * n + 100));
  // Redis's listen backlog (511 by default, for its Unix socket too) would
  // refuse a thousand connects made at once with EAGAIN, plain or not.
  vinyl_test::redis_server server({"--tcp-backlog", "4096"});
  const std::string path = server.socket_path();
  const std::string seconds = std::to_string(timeout);
  int timed_out = 0;
  std::string first_error;
  const auto start = clock_type::now();
  run_all(n, [&](int i) -> vinyl::task<void> {
    redisContext *c = co_await vinyl::redis::connect_unix(path.c_str());
    void *r = co_await vinyl::redis::command(c, "BLPOP empty:%d %s", i,
                                             seconds.c_str());
    timed_out += r && static_cast<redisReply *>(r)->type == REDIS_REPLY_NIL;
    if (!r && first_error.empty())
      first_error = c ? c->errstr : "no context";
    freeReplyObject(r);
    redisFree(c);
  });
  std::printf(
      "redis: %d tasks, BLPOP timeout %.2f s: async mode, one "
      "thread: %.2f s, %d/%d timed out as asked%s%s\n",
      n, timeout, seconds_since(start), timed_out, n,
      first_error.empty() ? "" : "; first error: ", first_error.c_str());
  // One after another: a sample of 10, scaled.
  const int sample = n < 10 ? n : 10;
  vinyl::set_io_mode(vinyl::io_mode::blocking);
  const auto one_by_one = clock_type::now();
  for (int i = 0; i != sample; ++i) {
    redisContext *c = redisConnectUnix(path.c_str());
    freeReplyObject(redisCommand(c, "BLPOP empty:%d %s", i, seconds.c_str()));
    redisFree(c);
  }
  const double each = seconds_since(one_by_one) / sample;
  std::printf("redis: one after another (plain hiredis): %.3f s each, so "
              "%.1f s for %d\n",
              each, each * n, n);
  return 0;
}

// The database file: 200,000 rows, made once per run.
std::string make_database(std::string &dir_out) {
  char dir[] = "/tmp/vinyl-bench-sqlite-XXXXXX";
  if (!::mkdtemp(dir))
    return "";
  dir_out = dir;
  const std::string file = dir_out + "/bench.db";
  sqlite3 *db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_exec(db,
               "CREATE TABLE t(x INTEGER);"
               "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
               "FROM c WHERE i < 200000) INSERT INTO t SELECT i FROM c;",
               nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return file;
}

std::string scan(int rows) {
  return "SELECT sum(x) FROM t WHERE x <= " + std::to_string(rows);
}

// n tasks on one loop, each on a connection of its own (serialized mode:
// SQLite's own mutex), with the pool VINYL_OFFLOAD_THREADS says: the pool's
// size is fixed at the first offload of a process, so each size is a run
// of its own.
int sqlite_one(const std::string &file, int n, int rows) {
  const std::string sql = scan(rows);
  std::vector<sqlite3 *> dbs(static_cast<std::size_t>(n), nullptr);
  for (auto &db : dbs)
    sqlite3_open(file.c_str(), &db);
  long long total = 0;
  const auto start = clock_type::now();
  run_all(n, [&](int i) -> vinyl::task<void> {
    sqlite3 *db = dbs[static_cast<std::size_t>(i)];
    sqlite3_stmt *st = nullptr;
    co_await vinyl::sqlite::prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    if (co_await vinyl::sqlite::step(st) == SQLITE_ROW)
      total += sqlite3_column_int64(st, 0);
    co_await vinyl::sqlite::finalize(st);
  });
  const double took = seconds_since(start);
  for (sqlite3 *db : dbs)
    sqlite3_close(db);
  const char *pool = std::getenv("VINYL_OFFLOAD_THREADS");
  std::printf("sqlite: async mode, offload pool of %s: %.3f s (sum %lld)\n",
              pool ? pool : "8", took, total);
  return 0;
}

int sqlite(const char *self, int n, int rows) {
  std::string dir;
  const std::string file = make_database(dir);
  if (file.empty())
    return 1;
  const std::string sql = scan(rows);
  const auto plain_start = clock_type::now();
  for (int i = 0; i != n; ++i) {
    sqlite3 *db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    sqlite3_step(st);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  std::printf("sqlite: %d queries scanning %d rows, one after another "
              "(plain): %.3f s\n",
              n, rows, seconds_since(plain_start));
  std::fflush(stdout);
  for (unsigned pool : {1u, 2u, 4u, 8u}) {
    const std::string command =
        "VINYL_OFFLOAD_THREADS=" + std::to_string(pool) + " '" + self +
        "' sqlite-one '" + file + "' " + std::to_string(n) + " " +
        std::to_string(rows);
    if (std::system(command.c_str()) != 0)
      return 1;
  }
  std::remove(file.c_str());
  ::rmdir(dir.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  const auto arg = [&](int i, double fallback) {
    return argc > i ? std::atof(argv[i]) : fallback;
  };
  if (what == "pg")
    return pg(static_cast<int>(arg(2, 100)), arg(3, 0.2));
  if (what == "redis")
    return redis(static_cast<int>(arg(2, 1000)), arg(3, 0.5));
  if (what == "sqlite")
    return sqlite(argv[0], static_cast<int>(arg(2, 64)),
                  static_cast<int>(arg(3, 200000)));
  if (what == "sqlite-one" && argc > 4)
    return sqlite_one(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  std::fprintf(stderr, "usage: bench_packs pg|redis|sqlite [n] [param]\n");
  return 2;
}
