// What the parts of vinyl_pq_test (pq_test.cpp, pq_copy_test.cpp,
// pq_server_gone_test.cpp, pq_async_test.cpp) share: the server, the two
// test suites, which GoogleTest needs to be one type in every file that
// adds tests to them (pq_test.cpp starts the server and instantiates
// them), and the helpers that connect, run a query in the mode of the test
// and read results.
#pragma once

#include "../runtime/test_support.hpp"
#include "pg_server.hpp"
#include "server_environment.hpp"

#include <vinyl/pq.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include <libpq-fe.h>

namespace vinyl_pq_test {

// The server, started once for the whole process (pq_test.cpp registers
// the environment).
using pg_environment = vinyl_test::server_environment<vinyl_test::pg_server>;
inline vinyl_test::pg_server *const &server = pg_environment::server;
inline const std::string &server_error = pg_environment::error;

struct pq_deleter {
  void operator()(PGconn *conn) const { PQfinish(conn); }
  void operator()(PGresult *result) const { PQclear(result); }
};
using conn_ptr = std::unique_ptr<PGconn, pq_deleter>;
using result_ptr = std::unique_ptr<PGresult, pq_deleter>;

inline std::string conninfo() { return server->conninfo(); }

// Runs the coroutine `body` makes to its end, in the mode of the test.
template <class F> auto drive(F &&body) { return vinyl::block_on(body()); }

inline conn_ptr connect(const std::string &info) {
  return drive([&]() -> vinyl::task<conn_ptr> {
    co_return conn_ptr(co_await vinyl::pq::connectdb(info.c_str()));
  });
}

inline conn_ptr connect() { return connect(conninfo()); }

inline result_ptr exec(PGconn *conn, const std::string &sql) {
  return drive([&]() -> vinyl::task<result_ptr> {
    co_return result_ptr(co_await vinyl::pq::exec(conn, sql.c_str()));
  });
}

inline std::string value(const result_ptr &r, int row = 0, int column = 0) {
  if (!r || row >= PQntuples(r.get()) || column >= PQnfields(r.get()))
    return "<no such value>";
  return PQgetvalue(r.get(), row, column);
}

inline std::string status_of(const result_ptr &r) {
  return r ? PQresStatus(PQresultStatus(r.get())) : "NULL";
}

inline std::string error_of(const result_ptr &r) {
  return r ? PQresultErrorMessage(r.get()) : "NULL";
}

inline std::string sqlstate(const result_ptr &r) {
  const char *field =
      r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  return field ? field : "";
}

// Setup and checks made with plain libpq, outside any loop.
inline result_ptr plain_exec(PGconn *conn, const std::string &sql) {
  return result_ptr(PQexec(conn, sql.c_str()));
}

inline conn_ptr plain_connect() {
  conn_ptr conn(PQconnectdb(conninfo().c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error(PQerrorMessage(conn.get()));
  return conn;
}

// The mode of the test, and the server.
class with_server : public vinyl_test::with_io_config {
protected:
  void SetUp() override {
    with_io_config::SetUp();
    if (!server)
      FAIL() << "no PostgreSQL server for the tests: " << server_error;
  }
};

// Every mode: blocking, and async on both backends.
class Pq : public with_server {};

// Async mode alone, on both backends.
class AsyncPq : public with_server {};

} // namespace vinyl_pq_test
