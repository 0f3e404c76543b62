// A small key-value store over SQLite: one table, prepared statements kept
// for the point select and the insert.
#pragma once
#include <cstdint>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

class Store {
public:
  /// Opens `path` (":memory:" for an in-memory database), creates the table
  /// and prepares the statements; false on an error.
  bool open(const char *path);
  /// Finalises the statements and closes the database.
  void close();
  /// Runs SQL that returns no rows (BEGIN, COMMIT); false on an error.
  bool exec(const char *sql);
  bool put(std::int64_t id, const std::string &name, std::int64_t value);
  /// The value and the length of the name stored under `id` summed, or -1
  /// when there is none.
  std::int64_t lookup(std::int64_t id);

private:
  sqlite3 *db_ = nullptr;
  sqlite3_stmt *get_ = nullptr;
  sqlite3_stmt *put_ = nullptr;
};
