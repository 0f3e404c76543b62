// Tests of vinyl::pq, the libpq adapter, against a real PostgreSQL 15 that
// pg_server.hpp starts for this process. Every call runs in blocking mode
// and in async mode on both backends, and must give what the plain libpq
// call gives: values, result statuses, connection states and error texts
// (compared with the plain call's own text wherever it can be had). In
// async mode, queries on many connections must run together and the loop
// must keep serving its other tasks while a query runs: both are checked by
// the order of events, which a loop blocked in libpq could not produce.
#include "../runtime/test_support.hpp"
#include "pg_server.hpp"
#include "server_environment.hpp"

#include <vinyl/pq.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;

// The server, started once for the whole process.
using pg_environment = server_environment<pg_server>;
[[maybe_unused]] ::testing::Environment *const environment =
    ::testing::AddGlobalTestEnvironment(new pg_environment);
pg_server *const &server = pg_environment::server;
const std::string &server_error = pg_environment::error;

struct pq_deleter {
  void operator()(PGconn *conn) const { PQfinish(conn); }
  void operator()(PGresult *result) const { PQclear(result); }
};
using conn_ptr = std::unique_ptr<PGconn, pq_deleter>;
using result_ptr = std::unique_ptr<PGresult, pq_deleter>;

std::string conninfo() { return server->conninfo(); }

// Runs the coroutine `body` makes to its end, in the mode of the test.
template <class F> auto drive(F &&body) { return vinyl::block_on(body()); }

conn_ptr connect(const std::string &info) {
  return drive([&]() -> vinyl::task<conn_ptr> {
    co_return conn_ptr(co_await vinyl::pq::connectdb(info.c_str()));
  });
}

conn_ptr connect() { return connect(conninfo()); }

result_ptr exec(PGconn *conn, const std::string &sql) {
  return drive([&]() -> vinyl::task<result_ptr> {
    co_return result_ptr(co_await vinyl::pq::exec(conn, sql.c_str()));
  });
}

std::string value(const result_ptr &r, int row = 0, int column = 0) {
  if (!r || row >= PQntuples(r.get()) || column >= PQnfields(r.get()))
    return "<no such value>";
  return PQgetvalue(r.get(), row, column);
}

std::string status_of(const result_ptr &r) {
  return r ? PQresStatus(PQresultStatus(r.get())) : "NULL";
}

std::string error_of(const result_ptr &r) {
  return r ? PQresultErrorMessage(r.get()) : "NULL";
}

std::string sqlstate(const result_ptr &r) {
  const char *field =
      r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  return field ? field : "";
}

// Setup and checks made with plain libpq, outside any loop.
result_ptr plain_exec(PGconn *conn, const std::string &sql) {
  return result_ptr(PQexec(conn, sql.c_str()));
}

conn_ptr plain_connect() {
  conn_ptr conn(PQconnectdb(conninfo().c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error(PQerrorMessage(conn.get()));
  return conn;
}

// Terminates backend `pid` and waits until it is gone: its last message
// (FATAL) and the end of its socket are then waiting for the client.
void terminate_and_wait(int pid) {
  const conn_ptr admin = plain_connect();
  const std::string id = std::to_string(pid);
  ASSERT_EQ(
      value(plain_exec(admin.get(), "SELECT pg_terminate_backend(" + id + ")")),
      "t");
  for (int i = 0; i != 2000; ++i) {
    if (value(plain_exec(admin.get(),
                         "SELECT count(*) FROM pg_stat_activity WHERE pid = " +
                             id)) == "0")
      return;
    std::this_thread::sleep_for(5ms);
  }
  FAIL() << "backend " << pid << " still there";
}

// With `admin`, waits until backend `pid` runs `SELECT pg_sleep...`, then
// terminates it. True once pg_terminate_backend said it did.
vinyl::task<bool> terminate_when_sleeping(PGconn *admin, int pid) {
  const std::string id = std::to_string(pid);
  const std::string running =
      "SELECT 1 FROM pg_stat_activity WHERE pid = " + id +
      " AND state = 'active' AND query LIKE 'SELECT pg_sleep%'";
  for (int i = 0; i != 2000; ++i) {
    const result_ptr r(co_await vinyl::pq::exec(admin, running.c_str()));
    if (r && PQntuples(r.get()) == 1) {
      const result_ptr t(co_await vinyl::pq::exec(
          admin, ("SELECT pg_terminate_backend(" + id + ")").c_str()));
      co_return value(t) == "t";
    }
    co_await vinyl::io::sleep_for(5ms);
  }
  co_return false;
}

// What libpq says when the backend is terminated under a query: the
// server's FATAL, then the end of the connection, in that one text.
const char *const terminated_text =
    "FATAL:  terminating connection due to administrator command\n"
    "server closed the connection unexpectedly\n"
    "\tThis probably means the server terminated abnormally\n"
    "\tbefore or while processing the request.\n";

// The mode of the test, and the server.
class with_server : public with_io_config {
protected:
  void SetUp() override {
    with_io_config::SetUp();
    if (!server)
      FAIL() << "no PostgreSQL server for the tests: " << server_error;
  }
};

class Pq : public with_server {};

INSTANTIATE_TEST_SUITE_P(Modes, Pq,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncPq : public with_server {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncPq,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// ---------------------------------------------------------------- connect

TEST_P(Pq, ConnectsToTheServer) {
  const conn_ptr conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQserverVersion(conn.get()) / 10000, 15);
  EXPECT_STREQ(PQuser(conn.get()), "postgres");
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_IDLE);
  // The adapter leaves the connection in blocking mode, as PQconnectdb.
  EXPECT_EQ(PQisnonblocking(conn.get()), 0);
  EXPECT_EQ(value(exec(conn.get(), "SELECT 6 * 7")), "42");
}

TEST_P(Pq, ConnectsWithParams) {
  const std::string dir = server->socket_dir();
  const char *const keywords[] = {"host", "dbname", "user", "application_name",
                                  nullptr};
  const char *const values[] = {dir.c_str(), "postgres", "postgres",
                                "vinyl-pq-test", nullptr};
  const conn_ptr conn = drive([&]() -> vinyl::task<conn_ptr> {
    co_return conn_ptr(
        co_await vinyl::pq::connectdb_params(keywords, values, 0));
  });
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(value(exec(conn.get(), "SHOW application_name")), "vinyl-pq-test");

  // expand_dbname: dbname holds a whole conninfo.
  const std::string info = conninfo();
  const char *const keywords2[] = {"dbname", nullptr};
  const char *const values2[] = {info.c_str(), nullptr};
  const conn_ptr expanded = drive([&]() -> vinyl::task<conn_ptr> {
    co_return conn_ptr(
        co_await vinyl::pq::connectdb_params(keywords2, values2, 1));
  });
  EXPECT_EQ(PQstatus(expanded.get()), CONNECTION_OK)
      << PQerrorMessage(expanded.get());
}

// A failed connection is CONNECTION_BAD with the message PQconnectdb
// gives, word for word.
void expect_fails_like_pqconnectdb(const std::string &info) {
  const conn_ptr expected(PQconnectdb(info.c_str()));
  ASSERT_EQ(PQstatus(expected.get()), CONNECTION_BAD);
  const conn_ptr conn = connect(info);
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_EQ(std::string(PQerrorMessage(conn.get())),
            PQerrorMessage(expected.get()));
}

TEST_P(Pq, NoServerInTheSocketDirectoryFailsLikePQconnectdb) {
  const std::string info =
      "host=" + server->socket_dir() + "/missing dbname=postgres user=postgres";
  expect_fails_like_pqconnectdb(info);
  const conn_ptr conn = connect(info);
  EXPECT_NE(std::string(PQerrorMessage(conn.get()))
                .find("/missing/.s.PGSQL.5432\" failed: No such file or "
                      "directory"),
            std::string::npos)
      << PQerrorMessage(conn.get());

  // The same through connectdb_params.
  const std::string dir = server->socket_dir() + "/missing";
  const char *const keywords[] = {"host", "dbname", nullptr};
  const char *const values[] = {dir.c_str(), "postgres", nullptr};
  const conn_ptr expected(PQconnectdbParams(keywords, values, 0));
  const conn_ptr params = drive([&]() -> vinyl::task<conn_ptr> {
    co_return conn_ptr(
        co_await vinyl::pq::connectdb_params(keywords, values, 0));
  });
  EXPECT_EQ(PQstatus(params.get()), CONNECTION_BAD);
  EXPECT_EQ(std::string(PQerrorMessage(params.get())),
            PQerrorMessage(expected.get()));
}

// A TCP port nobody listens on: the connect itself fails (ECONNREFUSED),
// found by PQconnectPoll once the socket is writable.
TEST_P(Pq, RefusedTcpConnectionFailsLikePQconnectdb) {
  sockaddr_in addr{};
  int port = 0;
  {
    const fd_closer probe = bound_socket(SOCK_STREAM, addr);
    port = ntohs(addr.sin_port);
  } // closed: nothing listens there now
  expect_fails_like_pqconnectdb(
      "host=127.0.0.1 port=" + std::to_string(port) +
      " dbname=postgres user=postgres sslmode=disable gssencmode=disable");
}

TEST_P(Pq, BadConninfoFailsLikePQconnectdb) {
  expect_fails_like_pqconnectdb("nonsense");
  // connect_timeout is read by PQconnectdb's wait, which refuses this.
  expect_fails_like_pqconnectdb(conninfo() + " connect_timeout=soon");
}

// A server that completes the TCP handshake (the kernel does, into the
// listen backlog) but never answers: only connect_timeout ends the attempt.
// Without it honoured the test hangs (and ctest's timeout fails it).
TEST_P(Pq, ConnectTimeoutEndsAnAttemptThatNeverAnswers) {
  sockaddr_in addr{};
  const fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 8), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  const conn_ptr conn =
      connect("host=127.0.0.1 port=" + port +
              " connect_timeout=2 dbname=postgres user=postgres "
              "sslmode=disable gssencmode=disable");
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  const std::string message = PQerrorMessage(conn.get());
  EXPECT_EQ(message.rfind("connection to server at \"127.0.0.1\", port " +
                              port + " failed: ",
                          0),
            0u)
      << message;
}

// A host whose TCP handshake never completes (its listen queue is full, so
// the kernel drops our SYN) before the real server: when connect_timeout
// ends the first attempt, libpq moves on to the next host and connects
// there, in every mode. The timeout applies to the real server too, and
// libpq counts it in whole seconds of time() (4 can be just over 3): it
// must leave a busy machine room to start a backend.
TEST_P(Pq, ConnectTimeoutMovesOnToTheNextHost) {
  sockaddr_in addr{};
  const fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), 0), 0);
  std::vector<fd_closer> queued;
  for (int i = 0; i != 3; ++i) {
    queued.emplace_back(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    (void)::connect(queued.back().get(), as_sockaddr(addr), sizeof addr);
  }
  const conn_ptr conn =
      connect("host=127.0.0.1," + server->socket_dir() +
              " port=" + std::to_string(ntohs(addr.sin_port)) +
              ",5432 connect_timeout=4 dbname=postgres user=postgres "
              "sslmode=disable gssencmode=disable");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(std::string(PQhost(conn.get())), server->socket_dir());
  EXPECT_EQ(value(exec(conn.get(), "SELECT 1")), "1");
}

// ------------------------------------------------------------------- exec

TEST_P(Pq, ExecSelectsValues) {
  const conn_ptr conn = connect();
  const result_ptr r =
      exec(conn.get(), "SELECT 1 AS one, 'two'::text AS two, NULL::int AS "
                       "three FROM generate_series(1, 3)");
  ASSERT_EQ(status_of(r), "PGRES_TUPLES_OK") << error_of(r);
  ASSERT_EQ(PQntuples(r.get()), 3);
  ASSERT_EQ(PQnfields(r.get()), 3);
  EXPECT_STREQ(PQfname(r.get(), 1), "two");
  for (int row = 0; row != 3; ++row) {
    EXPECT_EQ(value(r, row, 0), "1");
    EXPECT_EQ(value(r, row, 1), "two");
    EXPECT_TRUE(PQgetisnull(r.get(), row, 2));
  }
  EXPECT_STREQ(PQcmdStatus(r.get()), "SELECT 3");
}

TEST_P(Pq, MultiStatementExecYieldsTheLastResult) {
  const conn_ptr conn = connect();
  const result_ptr r = exec(conn.get(), "SELECT 1; SELECT 2, 'last'");
  ASSERT_EQ(status_of(r), "PGRES_TUPLES_OK") << error_of(r);
  EXPECT_EQ(value(r, 0, 1), "last");
  const result_ptr c =
      exec(conn.get(), "SELECT 1; CREATE TEMP TABLE m (x int)");
  EXPECT_EQ(status_of(c), "PGRES_COMMAND_OK") << error_of(c);
  EXPECT_STREQ(PQcmdStatus(c.get()), "CREATE TABLE");
  // Nothing left behind: the next exec has only its own result.
  EXPECT_EQ(value(exec(conn.get(), "SELECT count(*) FROM m")), "0");
}

TEST_P(Pq, SyntaxErrorIsAFatalErrorResult) {
  const conn_ptr conn = connect();
  const result_ptr r = exec(conn.get(), "SELEC 1");
  ASSERT_EQ(status_of(r), "PGRES_FATAL_ERROR");
  const std::string message = error_of(r);
  EXPECT_NE(message.find("syntax error at or near \"SELEC\""),
            std::string::npos)
      << message;
  EXPECT_EQ(sqlstate(r), "42601");
  EXPECT_EQ(std::string(PQerrorMessage(conn.get())), message);
  // The connection goes on.
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  EXPECT_EQ(value(exec(conn.get(), "SELECT 'after'")), "after");
  EXPECT_STREQ(PQerrorMessage(conn.get()), "");
}

// The server stops at the error: the error is the last result.
TEST_P(Pq, ErrorMidwayIsTheLastResult) {
  const conn_ptr conn = connect();
  const result_ptr r = exec(conn.get(), "SELECT 1; SELECT 1/0; SELECT 3");
  ASSERT_EQ(status_of(r), "PGRES_FATAL_ERROR");
  EXPECT_EQ(sqlstate(r), "22012");
  EXPECT_NE(error_of(r).find("division by zero"), std::string::npos);
}

TEST_P(Pq, ExecParamsWithTextParameters) {
  const conn_ptr conn = connect();
  const char *const values[] = {"40", "2", nullptr, "h\xc3\xa9llo"};
  const result_ptr r = drive([&]() -> vinyl::task<result_ptr> {
    co_return result_ptr(co_await vinyl::pq::exec_params(
        conn.get(), "SELECT $1::int + $2::int, $3::text IS NULL, $4", 4,
        nullptr, values, nullptr, nullptr, 0));
  });
  ASSERT_EQ(status_of(r), "PGRES_TUPLES_OK") << error_of(r);
  EXPECT_EQ(value(r, 0, 0), "42");
  EXPECT_EQ(value(r, 0, 1), "t");
  EXPECT_EQ(value(r, 0, 2), "h\xc3\xa9llo");

  // Explicit types, and a parameter the server refuses.
  const Oid types[] = {23}; // int4
  const char *const bad[] = {"forty-two"};
  const result_ptr e = drive([&]() -> vinyl::task<result_ptr> {
    co_return result_ptr(co_await vinyl::pq::exec_params(
        conn.get(), "SELECT $1", 1, types, bad, nullptr, nullptr, 0));
  });
  EXPECT_EQ(status_of(e), "PGRES_FATAL_ERROR");
  EXPECT_EQ(sqlstate(e), "22P02");
}

TEST_P(Pq, PrepareThenExecPrepared) {
  const conn_ptr conn = connect();
  const char *const twenty_one[] = {"21"};
  struct outcome {
    result_ptr prepared, executed, missing;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    outcome out;
    out.prepared.reset(co_await vinyl::pq::prepare(
        conn.get(), "double", "SELECT $1::int * 2", 1, nullptr));
    out.executed.reset(co_await vinyl::pq::exec_prepared(
        conn.get(), "double", 1, twenty_one, nullptr, nullptr, 0));
    out.missing.reset(co_await vinyl::pq::exec_prepared(
        conn.get(), "missing", 0, nullptr, nullptr, nullptr, 0));
    co_return out;
  });
  EXPECT_EQ(status_of(o.prepared), "PGRES_COMMAND_OK") << error_of(o.prepared);
  EXPECT_EQ(value(o.executed), "42") << error_of(o.executed);
  EXPECT_EQ(status_of(o.missing), "PGRES_FATAL_ERROR");
  EXPECT_NE(
      error_of(o.missing).find("prepared statement \"missing\" does not exist"),
      std::string::npos)
      << error_of(o.missing);
}

// ------------------------------------------------------------------- COPY

TEST_P(Pq, CopyFromStdin) {
  const conn_ptr conn = connect();
  ASSERT_EQ(
      status_of(exec(conn.get(), "CREATE TEMP TABLE t (id int, name text)")),
      "PGRES_COMMAND_OK");
  struct outcome {
    std::string copy_status;
    int bad_puts = 0;
    int end = 0;
    result_ptr done;
    result_ptr then;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    outcome out;
    const result_ptr copy(
        co_await vinyl::pq::exec(conn.get(), "COPY t FROM STDIN"));
    out.copy_status = status_of(copy);
    for (int i = 1; i <= 100; ++i) {
      const std::string row =
          std::to_string(i) + "\tname " + std::to_string(i) + "\n";
      if (co_await vinyl::pq::put_copy_data(conn.get(), row.data(),
                                            static_cast<int>(row.size())) != 1)
        ++out.bad_puts;
    }
    out.end = co_await vinyl::pq::put_copy_end(conn.get(), nullptr);
    out.done.reset(co_await vinyl::pq::get_result(conn.get()));
    out.then.reset(co_await vinyl::pq::get_result(conn.get()));
    co_return out;
  });
  EXPECT_EQ(o.copy_status, "PGRES_COPY_IN");
  EXPECT_EQ(o.bad_puts, 0);
  EXPECT_EQ(o.end, 1);
  EXPECT_EQ(status_of(o.done), "PGRES_COMMAND_OK") << error_of(o.done);
  EXPECT_STREQ(PQcmdTuples(o.done.get()), "100");
  EXPECT_EQ(o.then, nullptr);
  const result_ptr check =
      exec(conn.get(), "SELECT count(*), sum(id), max(name) FROM t");
  EXPECT_EQ(value(check, 0, 0), "100");
  EXPECT_EQ(value(check, 0, 1), "5050");
  EXPECT_EQ(value(check, 0, 2), "name 99");
  EXPECT_EQ(PQisnonblocking(conn.get()), 0);
}

// Megabytes in 64 KiB pieces: far more than the socket holds, so in async
// mode the sends must wait for room (and read meanwhile) many times.
TEST_P(Pq, CopyFromStdinInBigPieces) {
  const conn_ptr conn = connect();
  ASSERT_EQ(status_of(exec(conn.get(), "CREATE TEMP TABLE big (line text)")),
            "PGRES_COMMAND_OK");
  std::string data;
  constexpr int rows = 16000;
  for (int i = 0; i != rows; ++i)
    data += std::string(500, static_cast<char>('a' + i % 26)) + "\n";
  struct outcome {
    int bad_puts = 0;
    int end = 0;
    result_ptr done;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    outcome out;
    const result_ptr copy(
        co_await vinyl::pq::exec(conn.get(), "COPY big FROM STDIN"));
    if (status_of(copy) != "PGRES_COPY_IN")
      co_return out;
    constexpr std::size_t piece = 64 * 1024;
    for (std::size_t at = 0; at < data.size(); at += piece) {
      const std::size_t n = std::min(piece, data.size() - at);
      if (co_await vinyl::pq::put_copy_data(conn.get(), data.data() + at,
                                            static_cast<int>(n)) != 1)
        ++out.bad_puts;
    }
    out.end = co_await vinyl::pq::put_copy_end(conn.get(), nullptr);
    out.done.reset(co_await vinyl::pq::get_result(conn.get()));
    co_return out;
  });
  EXPECT_EQ(o.bad_puts, 0);
  EXPECT_EQ(o.end, 1);
  EXPECT_EQ(status_of(o.done), "PGRES_COMMAND_OK") << error_of(o.done);
  const result_ptr check =
      exec(conn.get(), "SELECT count(*), sum(length(line)) FROM big");
  EXPECT_EQ(value(check, 0, 0), std::to_string(rows));
  EXPECT_EQ(value(check, 0, 1), std::to_string(rows * 500));
}

TEST_P(Pq, CopyEndWithAnErrorFailsTheCopy) {
  const conn_ptr conn = connect();
  ASSERT_EQ(status_of(exec(conn.get(), "CREATE TEMP TABLE t (id int)")),
            "PGRES_COMMAND_OK");
  struct outcome {
    int put = 0, end = 0;
    result_ptr failed;
    result_ptr then;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    outcome out;
    const result_ptr copy(
        co_await vinyl::pq::exec(conn.get(), "COPY t FROM STDIN"));
    out.put = co_await vinyl::pq::put_copy_data(conn.get(), "1\n", 2);
    out.end = co_await vinyl::pq::put_copy_end(conn.get(), "client says no");
    out.failed.reset(co_await vinyl::pq::get_result(conn.get()));
    out.then.reset(co_await vinyl::pq::get_result(conn.get()));
    co_return out;
  });
  EXPECT_EQ(o.put, 1);
  EXPECT_EQ(o.end, 1);
  EXPECT_EQ(status_of(o.failed), "PGRES_FATAL_ERROR");
  EXPECT_NE(error_of(o.failed).find("client says no"), std::string::npos)
      << error_of(o.failed);
  EXPECT_EQ(o.then, nullptr);
  EXPECT_EQ(value(exec(conn.get(), "SELECT count(*) FROM t")), "0");
}

TEST_P(Pq, CopyToStdout) {
  const conn_ptr conn = connect();
  struct outcome {
    std::string copy_status;
    std::vector<std::string> rows;
    int last = 0;
    result_ptr done;
    result_ptr then;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    outcome out;
    const result_ptr copy(co_await vinyl::pq::exec(
        conn.get(), "COPY (SELECT g, 'row ' || g FROM generate_series(1, "
                    "20000) g) TO STDOUT"));
    out.copy_status = status_of(copy);
    for (;;) {
      char *row = nullptr;
      const int n = co_await vinyl::pq::get_copy_data(conn.get(), &row, 0);
      if (n <= 0) {
        out.last = n;
        break;
      }
      out.rows.emplace_back(row, static_cast<std::size_t>(n));
      PQfreemem(row);
    }
    out.done.reset(co_await vinyl::pq::get_result(conn.get()));
    out.then.reset(co_await vinyl::pq::get_result(conn.get()));
    co_return out;
  });
  EXPECT_EQ(o.copy_status, "PGRES_COPY_OUT");
  ASSERT_EQ(o.rows.size(), 20000u);
  EXPECT_EQ(o.rows.front(), "1\trow 1\n");
  EXPECT_EQ(o.rows.back(), "20000\trow 20000\n");
  EXPECT_EQ(o.last, -1);
  EXPECT_EQ(status_of(o.done), "PGRES_COMMAND_OK") << error_of(o.done);
  EXPECT_STREQ(PQcmdStatus(o.done.get()), "COPY 20000");
  EXPECT_EQ(o.then, nullptr);
}

// ------------------------------------------- get_result, PQexecStart's part

TEST_P(Pq, GetResultYieldsEachResultThenNull) {
  const conn_ptr conn = connect();
  ASSERT_EQ(PQsendQuery(conn.get(), "SELECT 1; SELECT pg_sleep(0.05), 2"), 1);
  struct outcome {
    result_ptr first, second, third;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    outcome out;
    out.first.reset(co_await vinyl::pq::get_result(conn.get()));
    out.second.reset(co_await vinyl::pq::get_result(conn.get()));
    out.third.reset(co_await vinyl::pq::get_result(conn.get()));
    co_return out;
  });
  EXPECT_EQ(value(o.first), "1");
  EXPECT_EQ(value(o.second, 0, 1), "2");
  EXPECT_EQ(o.third, nullptr);
}

// PQexec drops what an earlier query left unread.
TEST_P(Pq, ExecDropsResultsLeftUnread) {
  const conn_ptr conn = connect();
  ASSERT_EQ(PQsendQuery(conn.get(), "SELECT 1; SELECT pg_sleep(0.05), 2"), 1);
  const result_ptr r = exec(conn.get(), "SELECT 3");
  EXPECT_EQ(value(r), "3") << error_of(r);
  EXPECT_EQ(PQgetResult(conn.get()), nullptr);
}

// ... ends a COPY IN left open ("COPY terminated by new PQexec"): the rows
// sent are not stored.
TEST_P(Pq, ExecEndsACopyInLeftOpen) {
  const conn_ptr conn = connect();
  ASSERT_EQ(status_of(exec(conn.get(), "CREATE TEMP TABLE t (id int)")),
            "PGRES_COMMAND_OK");
  ASSERT_EQ(status_of(exec(conn.get(), "COPY t FROM STDIN")), "PGRES_COPY_IN");
  ASSERT_EQ(PQputCopyData(conn.get(), "1\n", 2), 1);
  const result_ptr r = exec(conn.get(), "SELECT count(*) FROM t");
  EXPECT_EQ(value(r), "0") << error_of(r);
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK);
}

// ... and drops the rows of a COPY OUT left unread.
TEST_P(Pq, ExecDropsTheRowsOfACopyOutLeftUnread) {
  const conn_ptr conn = connect();
  ASSERT_EQ(status_of(exec(conn.get(), "COPY (SELECT generate_series(1, "
                                       "100000)) TO STDOUT")),
            "PGRES_COPY_OUT");
  const result_ptr r = exec(conn.get(), "SELECT 8");
  EXPECT_EQ(value(r), "8") << error_of(r);
  EXPECT_EQ(value(exec(conn.get(), "SELECT 9")), "9");
}

// A query far larger than the socket's buffer: in async mode the send
// waits for room many times.
TEST_P(Pq, LongQueryIsSentWhole) {
  const conn_ptr conn = connect();
  const std::string sql = "SELECT length('" + std::string(4 << 20, 'x') + "')";
  EXPECT_EQ(value(exec(conn.get(), sql)), std::to_string(4 << 20));
}

TEST_P(Pq, NonblockingSettingIsKept) {
  const conn_ptr conn = connect();
  EXPECT_EQ(value(exec(conn.get(), "SELECT 1")), "1");
  EXPECT_EQ(PQisnonblocking(conn.get()), 0);
  ASSERT_EQ(PQsetnonblocking(conn.get(), 1), 0);
  EXPECT_EQ(value(exec(conn.get(), "SELECT 2")), "2");
  EXPECT_EQ(PQisnonblocking(conn.get()), 1);
  ASSERT_EQ(PQsetnonblocking(conn.get(), 0), 0);
  EXPECT_EQ(drive([&]() -> vinyl::task<int> {
              co_return co_await vinyl::pq::flush(conn.get());
            }),
            0);
  EXPECT_EQ(PQisnonblocking(conn.get()), 0);
}

TEST_P(Pq, PipelineModeIsRefusedLikePQexec) {
  const conn_ptr conn = connect();
  ASSERT_EQ(PQenterPipelineMode(conn.get()), 1);
  EXPECT_EQ(exec(conn.get(), "SELECT 1"), nullptr);
  EXPECT_STREQ(PQerrorMessage(conn.get()),
               "synchronous command execution functions are not allowed in "
               "pipeline mode\n");
}

TEST_P(Pq, NullConnectionFailsAtOnce) {
  struct outcome {
    PGresult *exec, *result;
    int put, end, get, consumed, flushed;
  };
  const outcome o = drive([&]() -> vinyl::task<outcome> {
    char *row = nullptr;
    co_return outcome{co_await vinyl::pq::exec(nullptr, "SELECT 1"),
                      co_await vinyl::pq::get_result(nullptr),
                      co_await vinyl::pq::put_copy_data(nullptr, "x", 1),
                      co_await vinyl::pq::put_copy_end(nullptr, nullptr),
                      co_await vinyl::pq::get_copy_data(nullptr, &row, 0),
                      co_await vinyl::pq::consume_input(nullptr),
                      co_await vinyl::pq::flush(nullptr)};
  });
  EXPECT_EQ(o.exec, nullptr);
  EXPECT_EQ(o.result, nullptr);
  EXPECT_EQ(o.put, -1);
  EXPECT_EQ(o.end, -1);
  EXPECT_EQ(o.get, -2);
  EXPECT_EQ(o.consumed, 0);
  EXPECT_EQ(o.flushed, PQflush(nullptr));
}

// ------------------------------------------------------ the server goes away

// pg_terminate_backend from a second connection while the first runs a
// long query: the query's result is the server's FATAL error merged with
// the loss of the connection, CONNECTION_BAD, in every mode, and nothing
// hangs. In blocking mode the second connection is driven from a thread,
// in async mode by a second task of the same loop.
TEST_P(Pq, BackendTerminatedMidQuery) {
  const conn_ptr conn = connect();
  const conn_ptr admin = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  ASSERT_EQ(PQstatus(admin.get()), CONNECTION_OK);
  const int pid = PQbackendPID(conn.get());
  auto query = [&]() -> vinyl::task<result_ptr> {
    co_return result_ptr(
        co_await vinyl::pq::exec(conn.get(), "SELECT pg_sleep(5)"));
  };
  result_ptr r;
  bool terminated = false;
  if (async()) {
    auto both = [&]() -> vinyl::task<void> {
      auto [result, done] = co_await vinyl::when_all(
          query(), terminate_when_sleeping(admin.get(), pid));
      r = std::move(result);
      terminated = done;
    };
    vinyl::block_on(both());
  } else {
    std::thread other([&] {
      terminated = vinyl::block_on(terminate_when_sleeping(admin.get(), pid));
    });
    r = vinyl::block_on(query());
    other.join();
  }
  EXPECT_TRUE(terminated);
  // The last result is libpq's own for the lost connection; the server's
  // FATAL came first, and the connection's message holds both.
  ASSERT_EQ(status_of(r), "PGRES_FATAL_ERROR");
  EXPECT_EQ(error_of(r).rfind("server closed the connection unexpectedly", 0),
            0u)
      << error_of(r);
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_EQ(std::string(PQerrorMessage(conn.get())), terminated_text);

  // The lost connection fails the next call at once, as PQexec does.
  EXPECT_EQ(exec(conn.get(), "SELECT 1"), nullptr);
  EXPECT_STREQ(PQerrorMessage(conn.get()), "no connection to the server\n");
}

// The backend of an idle connection is gone (its FATAL and the end of the
// socket wait unread): the next exec gives exactly what PQexec gives on
// another connection in the same state.
TEST_P(Pq, BackendGoneWhileIdleFailsLikePQexec) {
  const conn_ptr reference = plain_connect();
  terminate_and_wait(PQbackendPID(reference.get()));
  const result_ptr expected = plain_exec(reference.get(), "SELECT 1");

  const conn_ptr conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  terminate_and_wait(PQbackendPID(conn.get()));
  const result_ptr r = exec(conn.get(), "SELECT 1");
  EXPECT_EQ(status_of(r), status_of(expected));
  EXPECT_EQ(error_of(r), error_of(expected));
  EXPECT_EQ(PQstatus(conn.get()), PQstatus(reference.get()));
  EXPECT_EQ(std::string(PQerrorMessage(conn.get())),
            PQerrorMessage(reference.get()));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
}

// The backend is terminated while a COPY TO STDOUT waits for its query:
// the server's error ends the copy data (-1), then get_result yields the
// FATAL error, then libpq's own for the lost connection, then NULL; the
// same in every mode, with the same text.
TEST_P(Pq, BackendTerminatedDuringCopyOut) {
  const conn_ptr conn = connect();
  const conn_ptr admin = connect();
  const int pid = PQbackendPID(conn.get());
  struct outcome {
    std::string copy_status;
    int rows = 0;
    int last = 0;
    std::vector<result_ptr> after;
  };
  auto copy = [&]() -> vinyl::task<outcome> {
    outcome out;
    const result_ptr started(co_await vinyl::pq::exec(
        conn.get(), "COPY (SELECT 1 FROM pg_sleep(5)) TO STDOUT"));
    out.copy_status = status_of(started);
    for (;;) {
      char *row = nullptr;
      const int n = co_await vinyl::pq::get_copy_data(conn.get(), &row, 0);
      if (n <= 0) {
        out.last = n;
        break;
      }
      ++out.rows;
      PQfreemem(row);
    }
    for (int i = 0; i != 10; ++i) {
      result_ptr r(co_await vinyl::pq::get_result(conn.get()));
      if (!r)
        break;
      out.after.push_back(std::move(r));
    }
    co_return out;
  };
  // The COPY's query shows in pg_stat_activity as "COPY (SELECT 1 FROM
  // pg_sleep...": wait for that one.
  auto terminate = [&]() -> vinyl::task<bool> {
    const std::string id = std::to_string(pid);
    const std::string running =
        "SELECT 1 FROM pg_stat_activity WHERE pid = " + id +
        " AND state = 'active' AND query LIKE 'COPY%'";
    for (int i = 0; i != 2000; ++i) {
      const result_ptr r(
          co_await vinyl::pq::exec(admin.get(), running.c_str()));
      if (r && PQntuples(r.get()) == 1) {
        const result_ptr t(co_await vinyl::pq::exec(
            admin.get(), ("SELECT pg_terminate_backend(" + id + ")").c_str()));
        co_return value(t) == "t";
      }
      co_await vinyl::io::sleep_for(5ms);
    }
    co_return false;
  };
  outcome o;
  bool terminated = false;
  if (async()) {
    auto both = [&]() -> vinyl::task<void> {
      auto [result, done] = co_await vinyl::when_all(copy(), terminate());
      o = std::move(result);
      terminated = done;
    };
    vinyl::block_on(both());
  } else {
    std::thread other([&] { terminated = vinyl::block_on(terminate()); });
    o = vinyl::block_on(copy());
    other.join();
  }
  EXPECT_TRUE(terminated);
  EXPECT_EQ(o.copy_status, "PGRES_COPY_OUT");
  EXPECT_EQ(o.rows, 0);
  EXPECT_EQ(o.last, -1); // an ErrorResponse ends the copy data
  ASSERT_EQ(o.after.size(), 2u);
  EXPECT_EQ(status_of(o.after[0]), "PGRES_FATAL_ERROR");
  EXPECT_EQ(sqlstate(o.after[0]), "57P01"); // admin_shutdown
  EXPECT_EQ(status_of(o.after[1]), "PGRES_FATAL_ERROR");
  EXPECT_EQ(error_of(o.after[1])
                .rfind("server closed the connection unexpectedly", 0),
            0u)
      << error_of(o.after[1]);
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_EQ(std::string(PQerrorMessage(conn.get())), terminated_text);
}

// ------------------------------------------------- async mode: no blocking

// Twenty connections each run a 0.3 s query. Each task notes when its query
// started and when it finished (a shared counter): every query must have
// started before the first one finished, which cannot happen if the loop
// waits inside libpq (the first query would finish before the second
// starts).
TEST_P(AsyncPq, QueriesOnManyConnectionsRunTogether) {
  constexpr int n = 20;
  const std::string info = conninfo();
  std::vector<conn_ptr> conns(n);
  std::vector<int> started(n, 0), finished(n, 0);
  std::vector<std::string> statuses(n);
  int clock = 0;
  auto connect_one = [&](int i) -> vinyl::task<void> {
    conns[static_cast<std::size_t>(i)].reset(
        co_await vinyl::pq::connectdb(info.c_str()));
  };
  auto query_one = [&](int i) -> vinyl::task<void> {
    const auto at = static_cast<std::size_t>(i);
    started[at] = ++clock;
    const result_ptr r(
        co_await vinyl::pq::exec(conns[at].get(), "SELECT pg_sleep(0.3)"));
    finished[at] = ++clock;
    statuses[at] = status_of(r);
  };
  auto body = [&]() -> vinyl::task<void> {
    // Connected first, all together, so that starting the queries costs
    // next to nothing, however loaded the machine.
    std::vector<vinyl::join_handle> handles;
    for (int i = 0; i != n; ++i)
      handles.push_back(vinyl::spawn(connect_one, i));
    for (auto &h : handles)
      co_await h.join();
    handles.clear();
    for (int i = 0; i != n; ++i)
      handles.push_back(vinyl::spawn(query_one, i));
    for (auto &h : handles)
      co_await h.join();
  };
  vinyl::run(body());
  for (int i = 0; i != n; ++i) {
    const auto at = static_cast<std::size_t>(i);
    ASSERT_EQ(PQstatus(conns[at].get()), CONNECTION_OK)
        << PQerrorMessage(conns[at].get());
    EXPECT_EQ(statuses[at], "PGRES_TUPLES_OK");
  }
  const int last_start = *std::max_element(started.begin(), started.end());
  const int first_end = *std::min_element(finished.begin(), finished.end());
  EXPECT_LT(last_start, first_end);
  EXPECT_EQ(last_start, n); // all n started before anything else happened
}

// A task ticking every 5 ms meanwhile ticks many times before a 0.3 s query
// returns; a loop blocked in libpq would not resume it until the end.
TEST_P(AsyncPq, LoopKeepsServingOtherTasksDuringAQuery) {
  const conn_ptr conn = connect();
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  int ticks = 0;
  int ticks_when_done = -1;
  bool done = false;
  std::string status;
  auto query = [&]() -> vinyl::task<int> {
    const result_ptr r(
        co_await vinyl::pq::exec(conn.get(), "SELECT pg_sleep(0.3)"));
    ticks_when_done = ticks;
    done = true;
    status = status_of(r);
    co_return 0;
  };
  vinyl::block_on(
      vinyl::when_all(query(), tick_until(done, 5ms, [&] { ++ticks; })));
  EXPECT_EQ(status, "PGRES_TUPLES_OK");
  EXPECT_GE(ticks_when_done, 3);
}

// While a COPY waits for the server: a trigger holds the server on the
// first row (an advisory lock another session holds), so the client's
// megabytes fill the socket and put_copy_data must wait for room. The
// lock is let go 0.3 s after the COPY started; meanwhile the ticker must
// tick: a loop blocked in a send would freeze it until then, and the last
// send comes right after.
TEST_P(AsyncPq, LoopKeepsServingOtherTasksWhileACopyWaitsForTheServer) {
  const conn_ptr locker = plain_connect();
  ASSERT_EQ(status_of(plain_exec(locker.get(), "SELECT pg_advisory_lock(42)")),
            "PGRES_TUPLES_OK");
  std::atomic<bool> copy_started{false};
  std::thread unlocker([&] {
    while (!copy_started)
      std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(300ms);
    plain_exec(locker.get(), "SELECT pg_advisory_unlock(42)");
  });
  const std::string info = conninfo();
  int ticks = 0;
  bool done = false;
  int ticks_at_start = -1, ticks_at_end = -1;
  std::string setup_status, copy_status, end_status, count;
  auto work = [&]() -> vinyl::task<int> {
    const conn_ptr conn(co_await vinyl::pq::connectdb(info.c_str()));
    const result_ptr setup(co_await vinyl::pq::exec(
        conn.get(),
        "CREATE TEMP TABLE big (line text); "
        "CREATE FUNCTION pg_temp.wait_for_lock() RETURNS trigger AS "
        "$$ BEGIN PERFORM pg_advisory_lock_shared(42); "
        "PERFORM pg_advisory_unlock_shared(42); RETURN NEW; END $$ "
        "LANGUAGE plpgsql; "
        "CREATE TRIGGER held BEFORE INSERT ON big FOR EACH ROW "
        "EXECUTE FUNCTION pg_temp.wait_for_lock()"));
    setup_status = status_of(setup) + error_of(setup);
    std::string data;
    for (int i = 0; i != 2000; ++i)
      data += std::string(1000, 'z') + "\n";
    const result_ptr copy(
        co_await vinyl::pq::exec(conn.get(), "COPY big FROM STDIN"));
    copy_status = status_of(copy);
    copy_started = true;
    // Only the sends are timed by the ticker: they are what waits for the
    // server to take the data.
    ticks_at_start = ticks;
    for (int i = 0; i != 4; ++i)
      (void)co_await vinyl::pq::put_copy_data(conn.get(), data.data(),
                                              static_cast<int>(data.size()));
    ticks_at_end = ticks;
    (void)co_await vinyl::pq::put_copy_end(conn.get(), nullptr);
    const result_ptr end(co_await vinyl::pq::get_result(conn.get()));
    done = true;
    end_status = status_of(end);
    count = value(result_ptr(
        co_await vinyl::pq::exec(conn.get(), "SELECT count(*) FROM big")));
    co_return 0;
  };
  vinyl::block_on(
      vinyl::when_all(work(), tick_until(done, 5ms, [&] { ++ticks; })));
  copy_started = true; // in case the COPY never started
  unlocker.join();
  EXPECT_EQ(setup_status, "PGRES_COMMAND_OK");
  EXPECT_EQ(copy_status, "PGRES_COPY_IN");
  EXPECT_EQ(end_status, "PGRES_COMMAND_OK");
  EXPECT_EQ(count, "8000");
  EXPECT_GE(ticks_at_end - ticks_at_start, 3);
}

} // namespace
