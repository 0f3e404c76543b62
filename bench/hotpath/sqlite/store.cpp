#include "store.h"

#include <sqlite3.h>

bool Store::open(const char *path) {
  if (sqlite3_open(path, &db_) != SQLITE_OK)
    return false;
  if (!exec("CREATE TABLE IF NOT EXISTS kv (id INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, value INTEGER NOT NULL)"))
    return false;
  if (sqlite3_prepare_v2(db_, "SELECT name, value FROM kv WHERE id = ?1", -1,
                         &get_, nullptr) != SQLITE_OK)
    return false;
  return sqlite3_prepare_v2(db_,
                            "INSERT OR REPLACE INTO kv (id, name, value) "
                            "VALUES (?1, ?2, ?3)",
                            -1, &put_, nullptr) == SQLITE_OK;
}

void Store::close() {
  sqlite3_finalize(get_);
  sqlite3_finalize(put_);
  sqlite3_close(db_);
  get_ = put_ = nullptr;
  db_ = nullptr;
}

bool Store::exec(const char *sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

bool Store::put(std::int64_t id, const std::string &name, std::int64_t value) {
  sqlite3_reset(put_);
  sqlite3_bind_int64(put_, 1, id);
  sqlite3_bind_text(put_, 2, name.data(), static_cast<int>(name.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(put_, 3, value);
  return sqlite3_step(put_) == SQLITE_DONE;
}

std::int64_t Store::lookup(std::int64_t id) {
  sqlite3_reset(get_);
  sqlite3_bind_int64(get_, 1, id);
  if (sqlite3_step(get_) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64(get_, 1) + sqlite3_column_bytes(get_, 0);
}
