// What the parts of vinyl_sqlite_test (sqlite_test.cpp,
// sqlite_handles_test.cpp, sqlite_routing_test.cpp) share: the two test
// suites, which GoogleTest needs to be one type in every file that adds
// tests to them (sqlite_test.cpp instantiates them), and the helpers
// every part uses: a temporary directory, a connection opened with plain
// calls, and the transcripts the tests compare.
#pragma once

#include "test_support.hpp"

#include <vinyl/sqlite.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <sqlite3.h>

namespace vinyl_sqlite_test {

// What a run of calls gave, a line a call, to compare the plain calls'
// with vinyl::sqlite's.
using transcript = std::vector<std::string>;

// Every mode: blocking, and async on both backends.
class Sqlite : public vinyl_test::with_io_config {};

// Async mode alone, on both backends.
class AsyncSqlite : public vinyl_test::with_io_config {};

// A directory of its own under $TMPDIR (or /tmp), removed with its files.
class temp_dir {
public:
  temp_dir() {
    const char *base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/vinyl_sqlite_XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw std::runtime_error(std::strerror(errno));
    path_ = pattern;
  }
  temp_dir(const temp_dir &) = delete;
  temp_dir &operator=(const temp_dir &) = delete;
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const char *name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

// A connection the test itself opens and closes with plain calls.
class plain_connection {
public:
  explicit plain_connection(const std::string &path,
                            int flags = SQLITE_OPEN_READWRITE |
                                        SQLITE_OPEN_CREATE) {
    if (::sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
  }
  plain_connection(const plain_connection &) = delete;
  plain_connection &operator=(const plain_connection &) = delete;
  ~plain_connection() { ::sqlite3_close_v2(db_); }
  sqlite3 *get() const { return db_; }
  void exec(const char *sql) {
    if (::sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(::sqlite3_errmsg(db_));
  }

private:
  sqlite3 *db_ = nullptr;
};

inline std::string errmsg_of(sqlite3 *db) { return ::sqlite3_errmsg(db); }

inline bool contains(const transcript &t, const std::string &line) {
  return std::find(t.begin(), t.end(), line) != t.end();
}

} // namespace vinyl_sqlite_test
