// Tests of vinyl::pq when the server goes away, part of vinyl_pq_test (see
// pq_test.cpp), in every mode: a backend terminated mid-query, one gone
// while its connection was idle, and one terminated while a COPY TO STDOUT
// waits for its query give the results, connection states and error texts
// plain libpq gives, and nothing hangs.
#include "pq_test_support.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace vinyl_pq_test {
namespace {

using namespace std::chrono_literals;

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

} // namespace
} // namespace vinyl_pq_test
