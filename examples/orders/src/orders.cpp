// Placing, cancelling and reading orders.
#include "orders/service.h"
#include "result.h"

#include <libpq-fe.h>

#include <stdexcept>
#include <string>

namespace orders {

using detail::command;
using detail::query;
using detail::Result;

long Service::place_order(const std::string &customer,
                          const std::vector<Line> &lines) {
  if (lines.empty())
    throw std::invalid_argument("an order needs at least one line");
  command(conn_, "BEGIN");
  try {
    Result order = query(conn_,
                         "INSERT INTO orders (customer, total_cents) "
                         "VALUES ($1, 0) RETURNING id",
                         {customer});
    const std::string order_id = PQgetvalue(order.get(), 0, 0);
    long total = 0;
    for (const Line &line : lines) {
      // Takes the stock only if there is enough; no row otherwise.
      Result taken = query(
          conn_,
          "UPDATE products SET stock = stock - $2 "
          "WHERE id = $1 AND stock >= $2 "
          "RETURNING price_cents",
          {std::to_string(line.product_id), std::to_string(line.quantity)});
      if (PQntuples(taken.get()) == 0)
        throw OutOfStock(line.product_id, line.quantity);
      const long price = detail::to_long(taken, 0, 0);
      total += price * line.quantity;
      command(conn_,
              "INSERT INTO order_lines (order_id, product_id, quantity, "
              "price_cents) VALUES ($1, $2, $3, $4)",
              {order_id, std::to_string(line.product_id),
               std::to_string(line.quantity), std::to_string(price)});
    }
    command(conn_, "UPDATE orders SET total_cents = $2 WHERE id = $1",
            {order_id, std::to_string(total)});
    command(conn_, "COMMIT");
    return std::stol(order_id);
  } catch (...) {
    // A lost connection cannot roll back; the server does it then.
    if (PQstatus(conn_) == CONNECTION_OK)
      Result rollback(PQexec(conn_, "ROLLBACK"));
    throw;
  }
}

bool Service::cancel_order(long order_id) {
  const std::string id = std::to_string(order_id);
  command(conn_, "BEGIN");
  try {
    Result cancelled = query(conn_,
                             "UPDATE orders SET status = 'cancelled' "
                             "WHERE id = $1 AND status = 'placed' "
                             "RETURNING id",
                             {id});
    if (PQntuples(cancelled.get()) == 0) {
      command(conn_, "ROLLBACK");
      return false;
    }
    command(conn_,
            "UPDATE products p SET stock = p.stock + l.quantity "
            "FROM order_lines l WHERE l.order_id = $1 AND p.id = l.product_id",
            {id});
    command(conn_, "COMMIT");
    return true;
  } catch (...) {
    if (PQstatus(conn_) == CONNECTION_OK)
      Result rollback(PQexec(conn_, "ROLLBACK"));
    throw;
  }
}

static Order order_at(const Result &result, int row) {
  Order order;
  order.id = detail::to_long(result, row, 0);
  order.customer = PQgetvalue(result.get(), row, 1);
  order.total_cents = detail::to_long(result, row, 2);
  order.status = PQgetvalue(result.get(), row, 3);
  return order;
}

std::optional<Order> Service::find_order(long order_id) {
  Result result = query(
      conn_,
      "SELECT id, customer, total_cents, status FROM orders WHERE id = $1",
      {std::to_string(order_id)});
  if (PQntuples(result.get()) == 0)
    return std::nullopt;
  return order_at(result, 0);
}

std::vector<Order> Service::orders_of(const std::string &customer) {
  Result result = query(conn_,
                        "SELECT id, customer, total_cents, status FROM orders "
                        "WHERE customer = $1 ORDER BY id",
                        {customer});
  std::vector<Order> found;
  for (int row = 0; row < PQntuples(result.get()); ++row)
    found.push_back(order_at(result, row));
  return found;
}

long Service::revenue_cents() {
  Result result = query(conn_, "SELECT coalesce(sum(total_cents), 0) "
                               "FROM orders WHERE status = 'placed'");
  return detail::to_long(result, 0, 0);
}

std::string Service::export_orders_csv() {
  Result start(PQexec(conn_,
                      "COPY (SELECT id, customer, total_cents, status "
                      "FROM orders ORDER BY id) TO STDOUT WITH (FORMAT csv)"));
  detail::check(conn_, start, PGRES_COPY_OUT);
  std::string csv;
  char *row = nullptr;
  int length;
  while ((length = PQgetCopyData(conn_, &row, 0)) > 0) {
    csv.append(row, static_cast<std::size_t>(length));
    PQfreemem(row);
  }
  Result end(PQgetResult(conn_));
  while (Result more{PQgetResult(conn_)}) {
  }
  if (length == -2)
    throw DbError(PQerrorMessage(conn_), "");
  detail::check(conn_, end, PGRES_COMMAND_OK);
  return csv;
}

} // namespace orders
