// Tests of vinyl::pq's COPY and result calls, part of vinyl_pq_test (see
// pq_test.cpp), in every mode, as plain libpq gives: COPY FROM STDIN in
// rows and in pieces far larger than the socket holds, a COPY ended with an
// error, COPY TO STDOUT; get_result one result at a time, and what exec
// does with what an earlier command left (PQexecStart's part: results
// unread, a COPY IN left open, a COPY OUT's rows); a query larger than the
// socket's buffer, the non-blocking setting kept, pipeline mode refused
// and a null connection.
#include "pq_test_support.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace vinyl_pq_test {
namespace {

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

} // namespace
} // namespace vinyl_pq_test
