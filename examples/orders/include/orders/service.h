// orders::Service: a small order-taking service over PostgreSQL (libpq).
// Products with a price and a stock; orders of several lines, placed in a
// transaction that takes the stock or fails whole; cancellation that puts
// the stock back; bulk import and export with COPY. One connection per
// Service, not shared between threads.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;

namespace orders {

// A failed connection or statement, with libpq's message and the
// statement's SQLSTATE ("" when there is none, e.g. a lost connection).
class DbError : public std::runtime_error {
public:
  DbError(const std::string &message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string &sqlstate() const { return sqlstate_; }

private:
  std::string sqlstate_;
};

// An order asked for more of a product than there is.
class OutOfStock : public std::runtime_error {
public:
  OutOfStock(long product_id, int wanted)
      : std::runtime_error("not enough stock of product " +
                           std::to_string(product_id) + " for " +
                           std::to_string(wanted)),
        product_id_(product_id) {}
  long product_id() const { return product_id_; }

private:
  long product_id_;
};

struct Product {
  std::string name;
  long price_cents = 0;
  int stock = 0;
};

struct Line {
  long product_id = 0;
  int quantity = 0;
};

struct Order {
  long id = 0;
  std::string customer;
  long total_cents = 0;
  std::string status; // "placed" or "cancelled"
};

class Service {
public:
  // Connects with a libpq connection string; throws DbError.
  explicit Service(const std::string &conninfo);
  ~Service();
  Service(const Service &) = delete;
  Service &operator=(const Service &) = delete;

  // Creates the tables, dropping any there were.
  void reset_schema();

  long add_product(const Product &product);
  // COPY products FROM STDIN: all of them or none. Returns how many.
  long import_products(const std::vector<Product> &products);
  int stock_of(long product_id);

  // One transaction: every line's stock is taken and the order recorded,
  // or nothing changes (OutOfStock, DbError).
  long place_order(const std::string &customer, const std::vector<Line> &lines);
  // Puts the stock back; false when there is no such placed order.
  bool cancel_order(long order_id);

  std::optional<Order> find_order(long order_id);
  std::vector<Order> orders_of(const std::string &customer);
  long revenue_cents();
  // COPY (SELECT ...) TO STDOUT: one "id,customer,total,status" line per
  // order, by id.
  std::string export_orders_csv();

  // For operations: the server's process for this connection, a statement
  // timeout, and a report that takes `seconds` on the server.
  int backend_pid() const;
  void set_statement_timeout(int milliseconds);
  long slow_report(double seconds);

private:
  PGconn *conn_;
};

} // namespace orders
