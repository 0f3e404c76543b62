// The notes store over the sqlite3 C API: the connection, prepared
// statements with their bindings, transactions that roll back on error,
// blobs, the online backup and WAL checkpoints.
#include "notes/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace notes {
namespace {

constexpr const char *kSchema = R"sql(
  CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS tags (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (note_id, tag)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS tags_by_tag ON tags (tag, note_id);
  CREATE TABLE IF NOT EXISTS attachments (
    note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
    data BLOB NOT NULL);
)sql";

// Attachments move through the blob handle this many bytes at a time.
constexpr int kChunk = 16 * 1024;
// Pages copied per backup step; other connections may write in between.
constexpr int kBackupPages = 64;

StoreError error_of(sqlite3 *db, int rc) {
  // sqlite3_errmsg(nullptr) is "out of memory", as for a failed open that
  // could not even allocate the connection.
  return StoreError(sqlite3_errmsg(db), rc & 0xff,
                    db ? sqlite3_extended_errcode(db) : rc);
}

[[noreturn]] void fail(sqlite3 *db, int rc) { throw error_of(db, rc); }

// Runs SQL without results (several statements allowed).
void exec(sqlite3 *db, const char *sql) {
  char *message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    StoreError error(message ? message : sqlite3_errmsg(db), rc & 0xff,
                     sqlite3_extended_errcode(db));
    sqlite3_free(message);
    throw error;
  }
}

// Ends a transaction that failed part-way. A statement may have rolled it
// back already (SQLite does so on some errors); then there is nothing to do.
void roll_back(sqlite3 *db) {
  if (!sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

struct Finalize {
  void operator()(sqlite3_stmt *stmt) const { sqlite3_finalize(stmt); }
};
using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;

Statement prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK)
    fail(db, rc);
  return Statement(stmt);
}

void bind(sqlite3_stmt *stmt, int index, const std::string &text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

void bind(sqlite3_stmt *stmt, int index, long value) {
  sqlite3_bind_int64(stmt, index, value);
}

// Steps a statement that returns no rows.
void run(sqlite3 *db, const Statement &stmt) {
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_DONE)
    fail(db, rc);
}

// Steps to the next row: true on a row, false at the end.
bool next_row(sqlite3 *db, const Statement &stmt) {
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW)
    return true;
  if (rc != SQLITE_DONE)
    fail(db, rc);
  return false;
}

std::string text_at(const Statement &stmt, int column) {
  const auto *text =
      reinterpret_cast<const char *>(sqlite3_column_text(stmt.get(), column));
  return std::string(text ? text : "",
                     static_cast<std::size_t>(
                         sqlite3_column_bytes(stmt.get(), column)));
}

std::vector<std::string> tags_of(sqlite3 *db, long id) {
  Statement select =
      prepare(db, "SELECT tag FROM tags WHERE note_id = ?1 ORDER BY tag");
  bind(select.get(), 1, id);
  std::vector<std::string> tags;
  while (next_row(db, select))
    tags.push_back(text_at(select, 0));
  return tags;
}

// Runs a query of (id, title, body) rows, then reads each note's tags.
std::vector<Note> notes_of(sqlite3 *db, const Statement &select) {
  std::vector<Note> found;
  while (next_row(db, select)) {
    Note note;
    note.id = sqlite3_column_int64(select.get(), 0);
    note.title = text_at(select, 1);
    note.body = text_at(select, 2);
    found.push_back(std::move(note));
  }
  for (Note &note : found)
    note.tags = tags_of(db, note.id);
  return found;
}

// The note and its tags, inside the caller's transaction.
long insert_note(sqlite3 *db, const Statement &insert, const Statement &tag,
                 const Note &note) {
  bind(insert.get(), 1, note.title);
  bind(insert.get(), 2, note.body);
  run(db, insert);
  sqlite3_reset(insert.get());
  const long id = static_cast<long>(sqlite3_last_insert_rowid(db));
  for (const std::string &name : note.tags) {
    bind(tag.get(), 1, id);
    bind(tag.get(), 2, name);
    run(db, tag);
    sqlite3_reset(tag.get());
  }
  return id;
}

constexpr const char *kInsertNote =
    "INSERT INTO notes (title, body) VALUES (?1, ?2)";
constexpr const char *kInsertTag =
    "INSERT OR IGNORE INTO tags (note_id, tag) VALUES (?1, ?2)";

} // namespace

Store::Store(const std::string &path, const Options &options) : db_(nullptr) {
  const int flags =
      SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    StoreError error = error_of(db_, rc);
    sqlite3_close(db_);
    throw error;
  }
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  try {
    exec(db_, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
    exec(db_, kSchema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

Store::~Store() { sqlite3_close(db_); }

long Store::add(const Note &note) {
  exec(db_, "BEGIN IMMEDIATE");
  try {
    Statement insert = prepare(db_, kInsertNote);
    Statement tag = prepare(db_, kInsertTag);
    const long id = insert_note(db_, insert, tag, note);
    exec(db_, "COMMIT");
    return id;
  } catch (...) {
    roll_back(db_);
    throw;
  }
}

long Store::import(const std::vector<Note> &notes) {
  exec(db_, "BEGIN IMMEDIATE");
  try {
    Statement insert = prepare(db_, kInsertNote);
    Statement tag = prepare(db_, kInsertTag);
    for (const Note &note : notes)
      insert_note(db_, insert, tag, note);
    exec(db_, "COMMIT");
    return static_cast<long>(notes.size());
  } catch (...) {
    roll_back(db_);
    throw;
  }
}

std::optional<Note> Store::find(long id) {
  Statement select =
      prepare(db_, "SELECT id, title, body FROM notes WHERE id = ?1");
  bind(select.get(), 1, id);
  std::vector<Note> found = notes_of(db_, select);
  if (found.empty())
    return std::nullopt;
  return std::move(found.front());
}

std::vector<Note> Store::tagged(const std::string &tag) {
  Statement select = prepare(db_, "SELECT n.id, n.title, n.body "
                                  "FROM notes n JOIN tags t ON t.note_id = n.id "
                                  "WHERE t.tag = ?1 ORDER BY n.id");
  bind(select.get(), 1, tag);
  return notes_of(db_, select);
}

std::vector<Note> Store::search(const std::string &text) {
  Statement select = prepare(db_, "SELECT id, title, body FROM notes "
                                  "WHERE instr(lower(title), lower(?1)) > 0 "
                                  "OR instr(lower(body), lower(?1)) > 0 "
                                  "ORDER BY id");
  bind(select.get(), 1, text);
  return notes_of(db_, select);
}

long Store::count() {
  Statement select = prepare(db_, "SELECT count(*) FROM notes");
  next_row(db_, select);
  return static_cast<long>(sqlite3_column_int64(select.get(), 0));
}

bool Store::retag(long id, const std::vector<std::string> &tags) {
  exec(db_, "BEGIN IMMEDIATE");
  try {
    Statement exists = prepare(db_, "SELECT 1 FROM notes WHERE id = ?1");
    bind(exists.get(), 1, id);
    if (!next_row(db_, exists)) {
      exec(db_, "ROLLBACK");
      return false;
    }
    Statement clear = prepare(db_, "DELETE FROM tags WHERE note_id = ?1");
    bind(clear.get(), 1, id);
    run(db_, clear);
    Statement insert = prepare(db_, kInsertTag);
    for (const std::string &tag : tags) {
      bind(insert.get(), 1, id);
      bind(insert.get(), 2, tag);
      run(db_, insert);
      sqlite3_reset(insert.get());
    }
    exec(db_, "COMMIT");
    return true;
  } catch (...) {
    roll_back(db_);
    throw;
  }
}

bool Store::remove(long id) {
  Statement erase = prepare(db_, "DELETE FROM notes WHERE id = ?1");
  bind(erase.get(), 1, id);
  run(db_, erase);
  return sqlite3_changes(db_) > 0;
}

void Store::attach(long id, const std::string &data) {
  exec(db_, "BEGIN IMMEDIATE");
  try {
    // Room for the bytes first, then written through a blob handle.
    Statement insert = prepare(db_, "INSERT OR REPLACE INTO attachments "
                                    "(note_id, data) VALUES (?1, zeroblob(?2))");
    bind(insert.get(), 1, id);
    bind(insert.get(), 2, static_cast<long>(data.size()));
    run(db_, insert);
    sqlite3_blob *blob = nullptr;
    int rc = sqlite3_blob_open(db_, "main", "attachments", "data", id, 1, &blob);
    if (rc != SQLITE_OK)
      fail(db_, rc);
    for (std::size_t offset = 0; offset < data.size(); offset += kChunk) {
      const int n = static_cast<int>(
          std::min<std::size_t>(kChunk, data.size() - offset));
      rc = sqlite3_blob_write(blob, data.data() + offset, n,
                              static_cast<int>(offset));
      if (rc != SQLITE_OK) {
        StoreError error = error_of(db_, rc);
        sqlite3_blob_close(blob);
        throw error;
      }
    }
    rc = sqlite3_blob_close(blob);
    if (rc != SQLITE_OK)
      fail(db_, rc);
    exec(db_, "COMMIT");
  } catch (...) {
    roll_back(db_);
    throw;
  }
}

std::optional<std::string> Store::attachment(long id) {
  // A read transaction, so that the row cannot go between the two steps.
  exec(db_, "BEGIN");
  try {
    Statement exists =
        prepare(db_, "SELECT 1 FROM attachments WHERE note_id = ?1");
    bind(exists.get(), 1, id);
    if (!next_row(db_, exists)) {
      exec(db_, "COMMIT");
      return std::nullopt;
    }
    sqlite3_blob *blob = nullptr;
    int rc = sqlite3_blob_open(db_, "main", "attachments", "data", id, 0, &blob);
    if (rc != SQLITE_OK)
      fail(db_, rc);
    std::string data(static_cast<std::size_t>(sqlite3_blob_bytes(blob)), '\0');
    for (std::size_t offset = 0; offset < data.size(); offset += kChunk) {
      const int n = static_cast<int>(
          std::min<std::size_t>(kChunk, data.size() - offset));
      rc = sqlite3_blob_read(blob, data.data() + offset, n,
                             static_cast<int>(offset));
      if (rc != SQLITE_OK) {
        StoreError error = error_of(db_, rc);
        sqlite3_blob_close(blob);
        throw error;
      }
    }
    sqlite3_blob_close(blob);
    exec(db_, "COMMIT");
    return data;
  } catch (...) {
    roll_back(db_);
    throw;
  }
}

void Store::backup_to(const std::string &path) {
  sqlite3 *target = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &target,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    StoreError error = error_of(target, rc);
    sqlite3_close(target);
    throw error;
  }
  sqlite3_backup *backup = sqlite3_backup_init(target, "main", db_, "main");
  if (!backup) {
    StoreError error = error_of(target, sqlite3_errcode(target));
    sqlite3_close(target);
    throw error;
  }
  do {
    rc = sqlite3_backup_step(backup, kBackupPages);
  } while (rc == SQLITE_OK);
  // finish gives the error of the last step, if any.
  rc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_OK) {
    StoreError error = error_of(target, rc);
    sqlite3_close(target);
    throw error;
  }
  rc = sqlite3_close(target);
  if (rc != SQLITE_OK)
    throw StoreError(sqlite3_errstr(rc), rc & 0xff, rc);
}

void Store::checkpoint() {
  // TRUNCATE waits for readers and writers (the busy timeout), copies every
  // frame and empties the log; SQLITE_BUSY when they do not let it.
  const int rc = sqlite3_wal_checkpoint_v2(
      db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  if (rc != SQLITE_OK)
    fail(db_, rc);
}

} // namespace notes
