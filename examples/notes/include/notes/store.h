// notes::Store: a small note-keeping library over SQLite (the sqlite3 C
// API). Notes with a unique title, a body and tags; an optional binary
// attachment per note, written and read in chunks through SQLite's blob
// handles; all-or-nothing imports; an online backup to another file; WAL
// checkpoints. One connection per Store, opened in the constructor in WAL
// mode with a busy timeout, so that several Stores (or processes) can share
// one file. Not shared between threads.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

typedef struct sqlite3 sqlite3;

namespace notes {

// A failed open or statement: SQLite's message (sqlite3_errmsg or exec's
// error text), its primary result code (SQLITE_CONSTRAINT, SQLITE_BUSY,
// SQLITE_CANTOPEN, ...) and its extended one (SQLITE_CONSTRAINT_UNIQUE, ...).
class StoreError : public std::runtime_error {
public:
  StoreError(const std::string &message, int code, int extended_code)
      : std::runtime_error(message), code_(code),
        extended_code_(extended_code) {}
  int code() const { return code_; }
  int extended_code() const { return extended_code_; }

private:
  int code_;
  int extended_code_;
};

struct Note {
  long id = 0; // given by the store
  std::string title;
  std::string body;
  std::vector<std::string> tags; // sorted when read back
};

struct Options {
  // How long a writer waits for another connection's write lock before
  // the statement fails with SQLITE_BUSY.
  int busy_timeout_ms = 5000;
  // Create the file when there is none.
  bool create = true;
};

class Store {
public:
  // Opens (or creates) the database file at path, switches it to WAL and
  // creates the tables it lacks; throws StoreError.
  explicit Store(const std::string &path, const Options &options = {});
  ~Store();
  Store(const Store &) = delete;
  Store &operator=(const Store &) = delete;

  // One transaction: the note and its tags, or nothing (a title that is
  // taken is SQLITE_CONSTRAINT). Returns the new note's id.
  long add(const Note &note);
  // One transaction for all of them, one prepared statement reused: every
  // note or none. Returns how many.
  long import(const std::vector<Note> &notes);

  std::optional<Note> find(long id);
  // Notes carrying the tag, by id.
  std::vector<Note> tagged(const std::string &tag);
  // Notes whose title or body contains text (ASCII case ignored), by id.
  std::vector<Note> search(const std::string &text);
  long count();

  // Replaces the tags of a note; false when there is no such note.
  bool retag(long id, const std::vector<std::string> &tags);
  // Removes a note with its tags and attachment; false when there was none.
  bool remove(long id);

  // Stores data (any bytes) as the note's attachment, replacing any; a
  // note that does not exist is SQLITE_CONSTRAINT (foreign key).
  void attach(long id, const std::string &data);
  std::optional<std::string> attachment(long id);

  // Copies the whole database, consistently, to the file at path (created
  // or overwritten) with SQLite's online backup.
  void backup_to(const std::string &path);
  // Moves the write-ahead log into the database file and truncates it.
  void checkpoint();

private:
  sqlite3 *db_;
};

} // namespace notes
