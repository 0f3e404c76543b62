// Owning wrappers and checks over libpq results, shared by the service's
// source files.
#pragma once

#include "orders/service.h"

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

namespace orders::detail {

struct ResultDeleter {
  void operator()(PGresult *result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Throws DbError unless the result has status `expected`.
void check(PGconn *conn, const Result &result, ExecStatusType expected);

// A statement with text parameters; throws DbError on failure.
Result query(PGconn *conn, const char *sql,
             const std::vector<std::string> &params = {},
             ExecStatusType expected = PGRES_TUPLES_OK);
void command(PGconn *conn, const char *sql,
             const std::vector<std::string> &params = {});

long to_long(const Result &result, int row, int column);

} // namespace orders::detail
