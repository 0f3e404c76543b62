// The connection, the schema and the product catalogue.
#include "orders/service.h"
#include "result.h"

#include <libpq-fe.h>

#include <string>

namespace orders {

using detail::command;
using detail::query;
using detail::Result;

Service::Service(const std::string &conninfo)
    : conn_(PQconnectdb(conninfo.c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    throw DbError(message, "");
  }
}

Service::~Service() { PQfinish(conn_); }

void Service::reset_schema() {
  Result result(PQexec(conn_, R"sql(
    DROP TABLE IF EXISTS order_lines, orders, products;
    CREATE TABLE products (
      id bigserial PRIMARY KEY,
      name text NOT NULL UNIQUE,
      price_cents bigint NOT NULL CHECK (price_cents >= 0),
      stock integer NOT NULL CHECK (stock >= 0));
    CREATE TABLE orders (
      id bigserial PRIMARY KEY,
      customer text NOT NULL,
      total_cents bigint NOT NULL,
      status text NOT NULL DEFAULT 'placed');
    CREATE TABLE order_lines (
      order_id bigint NOT NULL REFERENCES orders(id),
      product_id bigint NOT NULL REFERENCES products(id),
      quantity integer NOT NULL CHECK (quantity > 0),
      price_cents bigint NOT NULL);
  )sql"));
  detail::check(conn_, result, PGRES_COMMAND_OK);
}

long Service::add_product(const Product &product) {
  Result result = query(conn_,
                        "INSERT INTO products (name, price_cents, stock) "
                        "VALUES ($1, $2, $3) RETURNING id",
                        {product.name, std::to_string(product.price_cents),
                         std::to_string(product.stock)});
  return detail::to_long(result, 0, 0);
}

// Text format of COPY: tab-separated, with backslash escapes.
static std::string copy_field(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '\t' || c == '\n')
      out += '\\';
    out += c == '\t' ? 't' : c == '\n' ? 'n' : c;
  }
  return out;
}

long Service::import_products(const std::vector<Product> &products) {
  Result start(
      PQexec(conn_, "COPY products (name, price_cents, stock) FROM STDIN"));
  detail::check(conn_, start, PGRES_COPY_IN);
  for (const Product &product : products) {
    std::string row = copy_field(product.name) + "\t" +
                      std::to_string(product.price_cents) + "\t" +
                      std::to_string(product.stock) + "\n";
    if (PQputCopyData(conn_, row.data(), static_cast<int>(row.size())) != 1)
      throw DbError(PQerrorMessage(conn_), "");
  }
  if (PQputCopyEnd(conn_, nullptr) != 1)
    throw DbError(PQerrorMessage(conn_), "");
  Result end(PQgetResult(conn_));
  // Read to the end, so the connection is ready for the next statement.
  while (Result more{PQgetResult(conn_)}) {
  }
  detail::check(conn_, end, PGRES_COMMAND_OK);
  return std::stol(PQcmdTuples(end.get()));
}

int Service::stock_of(long product_id) {
  Result result = query(conn_, "SELECT stock FROM products WHERE id = $1",
                        {std::to_string(product_id)});
  if (PQntuples(result.get()) == 0)
    throw std::out_of_range("no product " + std::to_string(product_id));
  return static_cast<int>(detail::to_long(result, 0, 0));
}

int Service::backend_pid() const { return PQbackendPID(conn_); }

void Service::set_statement_timeout(int milliseconds) {
  query(conn_, "SELECT set_config('statement_timeout', $1, false)",
        {std::to_string(milliseconds)});
}

long Service::slow_report(double seconds) {
  Result result =
      query(conn_, "SELECT count(*) FROM orders, pg_sleep($1::float8)",
            {std::to_string(seconds)});
  return detail::to_long(result, 0, 0);
}

} // namespace orders
