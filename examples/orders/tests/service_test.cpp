// The orders service's suite, against a PostgreSQL 15 server it starts for
// itself (pg_server.hpp). Each test starts from an empty schema.
#include "orders/service.h"
#include "pg_server.hpp"
#include "server_environment.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;

using PgEnvironment = vinyl_test::server_environment<vinyl_test::pg_server>;
[[maybe_unused]] ::testing::Environment *const environment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment);
vinyl_test::pg_server *const &server = PgEnvironment::server;
const std::string &server_error = PgEnvironment::error;

class Orders : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(server) << server_error;
    service = std::make_unique<orders::Service>(server->conninfo());
    service->reset_schema();
    pen = service->add_product({"pen", 150, 10});
    ink = service->add_product({"ink", 900, 3});
  }

  // Runs `sql` on a connection of its own, as an operator would.
  static std::string admin(const std::string &sql) {
    PGconn *conn = PQconnectdb(server->conninfo().c_str());
    PGresult *r = PQexec(conn, sql.c_str());
    std::string value = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    PQfinish(conn);
    return value;
  }

  std::unique_ptr<orders::Service> service;
  long pen = 0;
  long ink = 0;
};

TEST_F(Orders, PlacingAnOrderTakesTheStockAndRecordsTheTotal) {
  const long id = service->place_order("ada", {{pen, 4}, {ink, 1}});
  EXPECT_EQ(service->stock_of(pen), 6);
  EXPECT_EQ(service->stock_of(ink), 2);
  const auto order = service->find_order(id);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->customer, "ada");
  EXPECT_EQ(order->total_cents, 4 * 150 + 900);
  EXPECT_EQ(order->status, "placed");
  EXPECT_EQ(service->revenue_cents(), 1500);
}

TEST_F(Orders, AnOrderThatCannotBeFilledChangesNothing) {
  try {
    service->place_order("ada", {{pen, 2}, {ink, 4}});
    FAIL() << "no OutOfStock";
  } catch (const orders::OutOfStock &e) {
    EXPECT_EQ(e.product_id(), ink);
  }
  EXPECT_EQ(service->stock_of(pen), 10); // the first line rolled back
  EXPECT_TRUE(service->orders_of("ada").empty());
  // The connection is usable after the rollback.
  EXPECT_GT(service->place_order("ada", {{ink, 3}}), 0);
}

TEST_F(Orders, AnEmptyOrderIsRefusedBeforeTheDatabase) {
  EXPECT_THROW(service->place_order("ada", {}), std::invalid_argument);
}

TEST_F(Orders, AnUnknownProductIsADatabaseError) {
  // No row to update: reported as out of stock, the transaction rolled back.
  EXPECT_THROW(service->place_order("ada", {{999, 1}}), orders::OutOfStock);
  try {
    service->add_product({"pen", 1, 1});
    FAIL() << "duplicate name accepted";
  } catch (const orders::DbError &e) {
    EXPECT_EQ(e.sqlstate(), "23505"); // unique_violation
  }
}

TEST_F(Orders, CancellingPutsTheStockBackOnce) {
  const long id = service->place_order("bob", {{pen, 5}});
  EXPECT_TRUE(service->cancel_order(id));
  EXPECT_EQ(service->stock_of(pen), 10);
  EXPECT_EQ(service->find_order(id)->status, "cancelled");
  EXPECT_FALSE(service->cancel_order(id));
  EXPECT_FALSE(service->cancel_order(12345));
  EXPECT_EQ(service->revenue_cents(), 0);
}

TEST_F(Orders, OrdersOfACustomerComeInOrder) {
  const long a = service->place_order("cy", {{pen, 1}});
  service->place_order("dee", {{pen, 1}});
  const long b = service->place_order("cy", {{ink, 1}});
  const auto found = service->orders_of("cy");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, a);
  EXPECT_EQ(found[1].id, b);
  EXPECT_FALSE(service->find_order(b + 100));
}

TEST_F(Orders, ImportsProductsWithCopy) {
  std::vector<orders::Product> products;
  for (int i = 0; i != 500; ++i)
    products.push_back({"item\t" + std::to_string(i), i, i % 7});
  EXPECT_EQ(service->import_products(products), 500);
  EXPECT_EQ(admin("SELECT count(*) FROM products"), "502");
  EXPECT_EQ(admin("SELECT stock FROM products WHERE name = E'item\\t13'"), "6");
}

TEST_F(Orders, AFailedImportImportsNothing) {
  // "pen" is there already: the unique name fails the whole COPY.
  EXPECT_THROW(service->import_products({{"new", 1, 1}, {"pen", 1, 1}}),
               orders::DbError);
  EXPECT_EQ(admin("SELECT count(*) FROM products"), "2");
  EXPECT_EQ(service->stock_of(pen), 10);
}

TEST_F(Orders, ExportsOrdersAsCsv) {
  service->place_order("ada", {{pen, 2}});
  service->place_order("bob, jr", {{ink, 1}});
  EXPECT_EQ(service->export_orders_csv(),
            "1,ada,300,placed\n2,\"bob, jr\",900,placed\n");
}

TEST_F(Orders, TwoServicesSeeEachOthersCommits) {
  orders::Service other(server->conninfo());
  service->place_order("ada", {{ink, 2}});
  EXPECT_EQ(other.stock_of(ink), 1);
  EXPECT_THROW(other.place_order("bob", {{ink, 2}}), orders::OutOfStock);
}

// ---------------------------------------------------------------- faults

TEST_F(Orders, ConnectionRefusedIsLibpqsMessage) {
  const std::string conninfo =
      "host=" + server->socket_dir() + "/nowhere dbname=postgres";
  PGconn *plain = PQconnectdb(conninfo.c_str());
  const std::string expected = PQerrorMessage(plain);
  PQfinish(plain);
  ASSERT_NE(expected, "");
  try {
    orders::Service refused(conninfo);
    FAIL() << "connected";
  } catch (const orders::DbError &e) {
    EXPECT_EQ(e.what(), expected);
  }
}

TEST_F(Orders, StatementTimeoutCancelsTheReport) {
  service->set_statement_timeout(100);
  const auto start = std::chrono::steady_clock::now();
  try {
    service->slow_report(3);
    FAIL() << "not cancelled";
  } catch (const orders::DbError &e) {
    EXPECT_EQ(e.sqlstate(), "57014"); // query_canceled
    EXPECT_STREQ(e.what(),
                 "ERROR:  canceling statement due to statement timeout\n");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  service->set_statement_timeout(0);
  EXPECT_EQ(service->slow_report(0), 0);
}

TEST_F(Orders, ServerEndingTheSessionMidQueryIsAnError) {
  const int pid = service->backend_pid();
  std::thread killer([pid] {
    // Once the report runs, end its session.
    for (int i = 0; i != 400; ++i) {
      if (admin("SELECT count(*) FROM pg_stat_activity WHERE pid = " +
                std::to_string(pid) +
                " AND query LIKE '%pg_sleep%' "
                "AND state = 'active'") == "1")
        break;
      std::this_thread::sleep_for(5ms);
    }
    admin("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  });
  try {
    service->slow_report(5);
    ADD_FAILURE() << "the report finished";
  } catch (const orders::DbError &e) {
    // libpq's text; the server's FATAL line comes before it when libpq
    // read that message before it met the end of the connection.
    EXPECT_NE(std::string(e.what()).find(
                  "server closed the connection unexpectedly\n"
                  "\tThis probably means the server terminated abnormally\n"
                  "\tbefore or while processing the request.\n"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.sqlstate(), "");
  }
  killer.join();
  // The service is done for; a new one works.
  EXPECT_THROW(service->place_order("ada", {{pen, 1}}), orders::DbError);
  orders::Service again(server->conninfo());
  EXPECT_EQ(again.stock_of(pen), 10);
}

} // namespace
