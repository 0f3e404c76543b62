// Tests that vinyl::pq never blocks the loop in async mode, part of
// vinyl_pq_test (see pq_test.cpp), on both backends: queries on many
// connections run together, and the loop keeps serving its other tasks
// while a query runs and while a COPY waits for the server. Both are
// checked by the order of events, which a loop blocked in libpq could not
// produce.
#include "pq_test_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace vinyl_pq_test {
namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;

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
} // namespace vinyl_pq_test
