// Running statements and checking their results.
#include "result.h"

#include <cstdlib>

namespace orders::detail {

void check(PGconn *conn, const Result &result, ExecStatusType expected) {
  if (result && PQresultStatus(result.get()) == expected)
    return;
  if (!result)
    throw DbError(PQerrorMessage(conn), "");
  const char *state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  throw DbError(PQresultErrorMessage(result.get()), state ? state : "");
}

Result query(PGconn *conn, const char *sql,
             const std::vector<std::string> &params, ExecStatusType expected) {
  std::vector<const char *> values;
  values.reserve(params.size());
  for (const std::string &param : params)
    values.push_back(param.c_str());
  Result result(PQexecParams(conn, sql, static_cast<int>(values.size()),
                             nullptr, values.data(), nullptr, nullptr, 0));
  check(conn, result, expected);
  return result;
}

void command(PGconn *conn, const char *sql,
             const std::vector<std::string> &params) {
  query(conn, sql, params, PGRES_COMMAND_OK);
}

long to_long(const Result &result, int row, int column) {
  return std::strtol(PQgetvalue(result.get(), row, column), nullptr, 10);
}

} // namespace orders::detail
