// Tests of vinyl::pq, the libpq adapter, against a real PostgreSQL 15 that
// pg_server.hpp starts for this process. Every call runs in blocking mode
// and in async mode on both backends, and must give what the plain libpq
// call gives: values, result statuses, connection states and error texts
// (compared with the plain call's own text wherever it can be had). This
// part of vinyl_pq_test starts the server and instantiates the suites, and
// covers connecting (made, refused, timed out) and exec, exec_params,
// prepare and exec_prepared. The rest: COPY and results left unread in
// pq_copy_test.cpp, a backend that goes away in pq_server_gone_test.cpp,
// the loop never blocked in async mode in pq_async_test.cpp; what the
// parts share in pq_test_support.hpp.
#include "pq_test_support.hpp"

#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>

namespace vinyl_pq_test {
namespace {

using namespace vinyl_test;

// The server, started once for the whole process, for every part.
[[maybe_unused]] ::testing::Environment *const environment =
    ::testing::AddGlobalTestEnvironment(new pg_environment);

// The suites' only instantiations: the other parts add tests to them.
INSTANTIATE_TEST_SUITE_P(Modes, Pq,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

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

} // namespace
} // namespace vinyl_pq_test
