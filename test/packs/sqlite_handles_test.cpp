// Tests of vinyl::sqlite's handle calls, part of vinyl_sqlite_test (see
// sqlite_test.cpp): blobs, backups, checkpoints, close with statements
// left and close_v2 give what the plain calls give, in every mode; and in
// async mode every file access of a file database's calls (these and the
// plain ones) is made by a worker, none on the loop thread, as a VFS shim
// that counts them per thread shows.
#include "sqlite_test_support.hpp"

#include <atomic>
#include <string>

#include <pthread.h>

namespace vinyl_sqlite_test {
namespace {

using namespace vinyl_test;

// --- close with statements left, close_v2, blobs, backups, checkpoints.

transcript handles_plain(const std::string &path) {
  transcript t;
  sqlite3 *db = nullptr;
  t.push_back("open " + std::to_string(::sqlite3_open(path.c_str(), &db)));
  t.push_back("setup " + std::to_string(::sqlite3_exec(
                             db,
                             "PRAGMA journal_mode=WAL;"
                             "CREATE TABLE b(id INTEGER PRIMARY KEY, data);"
                             "INSERT INTO b VALUES (1, zeroblob(16)),"
                             " (2, x'00112233');",
                             nullptr, nullptr, nullptr)));
  sqlite3_blob *blob = nullptr;
  t.push_back("blob_open " + std::to_string(::sqlite3_blob_open(
                                 db, "main", "b", "data", 1, 1, &blob)));
  t.push_back("blob_write " + std::to_string(::sqlite3_blob_write(
                                  blob, "0123456789abcdef", 16, 0)));
  char buf[17] = {};
  const int read_rc = ::sqlite3_blob_read(blob, buf, 16, 0);
  t.push_back("blob_read " + std::to_string(read_rc) + " " + buf);
  t.push_back("blob_read past end " +
              std::to_string(::sqlite3_blob_read(blob, buf, 16, 8)));
  t.push_back("blob_reopen " + std::to_string(::sqlite3_blob_reopen(blob, 2)));
  t.push_back("bytes " + std::to_string(::sqlite3_blob_bytes(blob)));
  t.push_back("blob_reopen missing " +
              std::to_string(::sqlite3_blob_reopen(blob, 99)));
  t.push_back("blob_close " + std::to_string(::sqlite3_blob_close(blob)));
  // A blob written and closed: the close commits.
  t.push_back("blob_open " + std::to_string(::sqlite3_blob_open(
                                 db, "main", "b", "data", 2, 1, &blob)));
  t.push_back("blob_write " +
              std::to_string(::sqlite3_blob_write(blob, "wxyz", 4, 0)));
  t.push_back("blob_close " + std::to_string(::sqlite3_blob_close(blob)));

  sqlite3 *copy = nullptr;
  ::sqlite3_open(":memory:", &copy);
  sqlite3_backup *backup = ::sqlite3_backup_init(copy, "main", db, "main");
  t.push_back(std::string("backup_init ") + (backup ? "set" : "NULL"));
  t.push_back("backup_step " +
              std::to_string(::sqlite3_backup_step(backup, 1)));
  t.push_back("backup_step " +
              std::to_string(::sqlite3_backup_step(backup, -1)));
  t.push_back("backup_finish " +
              std::to_string(::sqlite3_backup_finish(backup)));
  sqlite3_stmt *stmt = nullptr;
  ::sqlite3_prepare_v2(copy, "SELECT data FROM b WHERE id = 1", -1, &stmt,
                       nullptr);
  const int copy_rc = ::sqlite3_step(stmt);
  t.push_back(
      "copy step " + std::to_string(copy_rc) + " " +
      std::string(static_cast<const char *>(::sqlite3_column_blob(stmt, 0)),
                  16));
  ::sqlite3_finalize(stmt);
  ::sqlite3_close(copy);

  int log = -1, done = -1;
  const int checkpoint_rc = ::sqlite3_wal_checkpoint_v2(
      db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  t.push_back("checkpoint " + std::to_string(checkpoint_rc) + " " +
              std::to_string(log) + " " + std::to_string(done));
  t.push_back("checkpoint bad name " +
              std::to_string(::sqlite3_wal_checkpoint_v2(
                  db, "nowhere", SQLITE_CHECKPOINT_PASSIVE, &log, &done)));
  t.push_back("errmsg " + errmsg_of(db));

  ::sqlite3_prepare_v2(db, "SELECT 1", -1, &stmt, nullptr);
  t.push_back("close busy " + std::to_string(::sqlite3_close(db)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("close_v2 " + std::to_string(::sqlite3_close_v2(db)));
  t.push_back("zombie finalize " + std::to_string(::sqlite3_finalize(stmt)));
  return t;
}

// vfs: nullptr for the default one, which sqlite3_open uses.
vinyl::task<transcript> handles_vinyl(std::string path,
                                      const char *vfs = nullptr) {
  namespace sq = vinyl::sqlite;
  transcript t;
  sqlite3 *db = nullptr;
  t.push_back("open " + std::to_string(co_await sq::open_v2(
                            path.c_str(), &db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs)));
  t.push_back("setup " + std::to_string(co_await sq::exec(
                             db,
                             "PRAGMA journal_mode=WAL;"
                             "CREATE TABLE b(id INTEGER PRIMARY KEY, data);"
                             "INSERT INTO b VALUES (1, zeroblob(16)),"
                             " (2, x'00112233');",
                             nullptr, nullptr, nullptr)));
  sqlite3_blob *blob = nullptr;
  t.push_back("blob_open " + std::to_string(co_await sq::blob_open(
                                 db, "main", "b", "data", 1, 1, &blob)));
  t.push_back("blob_write " + std::to_string(co_await sq::blob_write(
                                  blob, "0123456789abcdef", 16, 0)));
  char buf[17] = {};
  const int read_rc = co_await sq::blob_read(blob, buf, 16, 0);
  t.push_back("blob_read " + std::to_string(read_rc) + " " + buf);
  t.push_back("blob_read past end " +
              std::to_string(co_await sq::blob_read(blob, buf, 16, 8)));
  t.push_back("blob_reopen " +
              std::to_string(co_await sq::blob_reopen(blob, 2)));
  t.push_back("bytes " + std::to_string(::sqlite3_blob_bytes(blob)));
  t.push_back("blob_reopen missing " +
              std::to_string(co_await sq::blob_reopen(blob, 99)));
  t.push_back("blob_close " + std::to_string(co_await sq::blob_close(blob)));
  // A blob written and closed: the close commits.
  t.push_back("blob_open " + std::to_string(co_await sq::blob_open(
                                 db, "main", "b", "data", 2, 1, &blob)));
  t.push_back("blob_write " +
              std::to_string(co_await sq::blob_write(blob, "wxyz", 4, 0)));
  t.push_back("blob_close " + std::to_string(co_await sq::blob_close(blob)));

  sqlite3 *copy = nullptr;
  (void)co_await sq::open(":memory:", &copy);
  sqlite3_backup *backup = co_await sq::backup_init(copy, "main", db, "main");
  t.push_back(std::string("backup_init ") + (backup ? "set" : "NULL"));
  t.push_back("backup_step " +
              std::to_string(co_await sq::backup_step(backup, 1)));
  t.push_back("backup_step " +
              std::to_string(co_await sq::backup_step(backup, -1)));
  t.push_back("backup_finish " +
              std::to_string(co_await sq::backup_finish(backup)));
  sqlite3_stmt *stmt = nullptr;
  (void)co_await sq::prepare_v2(copy, "SELECT data FROM b WHERE id = 1", -1,
                                &stmt, nullptr);
  const int copy_rc = co_await sq::step(stmt);
  t.push_back(
      "copy step " + std::to_string(copy_rc) + " " +
      std::string(static_cast<const char *>(::sqlite3_column_blob(stmt, 0)),
                  16));
  (void)co_await sq::finalize(stmt);
  (void)co_await sq::close(copy);

  int log = -1, done = -1;
  const int checkpoint_rc = co_await sq::wal_checkpoint_v2(
      db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  t.push_back("checkpoint " + std::to_string(checkpoint_rc) + " " +
              std::to_string(log) + " " + std::to_string(done));
  t.push_back("checkpoint bad name " +
              std::to_string(co_await sq::wal_checkpoint_v2(
                  db, "nowhere", SQLITE_CHECKPOINT_PASSIVE, &log, &done)));
  t.push_back("errmsg " + errmsg_of(db));

  (void)co_await sq::prepare_v2(db, "SELECT 1", -1, &stmt, nullptr);
  t.push_back("close busy " + std::to_string(co_await sq::close(db)));
  t.push_back("errmsg " + errmsg_of(db));
  t.push_back("close_v2 " + std::to_string(co_await sq::close_v2(db)));
  t.push_back("zombie finalize " + std::to_string(co_await sq::finalize(stmt)));
  co_return t;
}

TEST_P(Sqlite, BlobsBackupsCheckpointsAndClosesAsThePlainCalls) {
  temp_dir dir;
  const transcript expected = handles_plain(dir.file("plain.db"));
  const transcript got = vinyl::block_on(handles_vinyl(dir.file("vinyl.db")));
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(contains(got, "blob_read 0 0123456789abcdef"));
  EXPECT_TRUE(contains(got, "copy step 100 0123456789abcdef"));
  EXPECT_TRUE(contains(got, "close busy " + std::to_string(SQLITE_BUSY)));
  EXPECT_TRUE(contains(got, "zombie finalize 0"));
}

// --- No file access on the loop thread.

// A VFS that forwards everything to the default one and counts the calls
// that touch a file (open, read, write, sync, lock, shared memory, sleep...)
// made on the test's thread, which runs the loop in async mode, and on
// other threads.
struct access_count {
  pthread_t test_thread{};
  std::atomic<int> on_test_thread{0};
  std::atomic<int> elsewhere{0};
};

access_count accesses;

void count_access() {
  if (::pthread_equal(::pthread_self(), accesses.test_thread))
    ++accesses.on_test_thread;
  else
    ++accesses.elsewhere;
}

struct probe_file {
  sqlite3_file base;
  sqlite3_file *real; // placed right after this struct
};

sqlite3_file *real_of(sqlite3_file *f) {
  return reinterpret_cast<probe_file *>(f)->real;
}

sqlite3_vfs *real_vfs(sqlite3_vfs *vfs) {
  return static_cast<sqlite3_vfs *>(vfs->pAppData);
}

const sqlite3_io_methods probe_io_methods = {
    3,
    [](sqlite3_file *f) {
      count_access();
      return real_of(f)->pMethods->xClose(real_of(f));
    },
    [](sqlite3_file *f, void *buf, int n, sqlite3_int64 offset) {
      count_access();
      return real_of(f)->pMethods->xRead(real_of(f), buf, n, offset);
    },
    [](sqlite3_file *f, const void *buf, int n, sqlite3_int64 offset) {
      count_access();
      return real_of(f)->pMethods->xWrite(real_of(f), buf, n, offset);
    },
    [](sqlite3_file *f, sqlite3_int64 size) {
      count_access();
      return real_of(f)->pMethods->xTruncate(real_of(f), size);
    },
    [](sqlite3_file *f, int flags) {
      count_access();
      return real_of(f)->pMethods->xSync(real_of(f), flags);
    },
    [](sqlite3_file *f, sqlite3_int64 *size) {
      count_access();
      return real_of(f)->pMethods->xFileSize(real_of(f), size);
    },
    [](sqlite3_file *f, int lock) {
      count_access();
      return real_of(f)->pMethods->xLock(real_of(f), lock);
    },
    [](sqlite3_file *f, int lock) {
      count_access();
      return real_of(f)->pMethods->xUnlock(real_of(f), lock);
    },
    [](sqlite3_file *f, int *out) {
      count_access();
      return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
    },
    [](sqlite3_file *f, int op, void *arg) {
      count_access();
      return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
    },
    [](sqlite3_file *f) {
      return real_of(f)->pMethods->xSectorSize(real_of(f));
    },
    [](sqlite3_file *f) {
      return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
    },
    [](sqlite3_file *f, int page, int size, int extend, void volatile **p) {
      count_access();
      return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, p);
    },
    [](sqlite3_file *f, int offset, int n, int flags) {
      count_access();
      return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
    },
    [](sqlite3_file *f) {
      count_access();
      real_of(f)->pMethods->xShmBarrier(real_of(f));
    },
    [](sqlite3_file *f, int delete_flag) {
      count_access();
      return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
    },
    [](sqlite3_file *f, sqlite3_int64 offset, int n, void **p) {
      count_access();
      return real_of(f)->pMethods->xFetch(real_of(f), offset, n, p);
    },
    [](sqlite3_file *f, sqlite3_int64 offset, void *p) {
      count_access();
      return real_of(f)->pMethods->xUnfetch(real_of(f), offset, p);
    },
};

int probe_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file,
               int flags, int *out_flags) {
  count_access();
  auto *probe = reinterpret_cast<probe_file *>(file);
  probe->real = reinterpret_cast<sqlite3_file *>(probe + 1);
  const int rc =
      real_vfs(vfs)->xOpen(real_vfs(vfs), name, probe->real, flags, out_flags);
  probe->base.pMethods = probe->real->pMethods ? &probe_io_methods : nullptr;
  return rc;
}

// Registered once, under the name "vinyl_probe"; not the default.
const char *probe_vfs_name() {
  static sqlite3_vfs vfs = [] {
    sqlite3_vfs *real = ::sqlite3_vfs_find(nullptr);
    sqlite3_vfs v = *real;
    v.pNext = nullptr;
    v.zName = "vinyl_probe";
    v.pAppData = real;
    v.szOsFile = static_cast<int>(sizeof(probe_file)) + real->szOsFile;
    v.xOpen = probe_open;
    v.xDelete = [](sqlite3_vfs *self, const char *name, int sync) {
      count_access();
      return real_vfs(self)->xDelete(real_vfs(self), name, sync);
    };
    v.xAccess = [](sqlite3_vfs *self, const char *name, int flags, int *out) {
      count_access();
      return real_vfs(self)->xAccess(real_vfs(self), name, flags, out);
    };
    v.xFullPathname = [](sqlite3_vfs *self, const char *name, int n,
                         char *out) {
      count_access();
      return real_vfs(self)->xFullPathname(real_vfs(self), name, n, out);
    };
    v.xSleep = [](sqlite3_vfs *self, int microseconds) {
      count_access();
      return real_vfs(self)->xSleep(real_vfs(self), microseconds);
    };
    // The rest (dlopen, randomness, time) do not touch the database: they
    // go to the real VFS, which gets itself as their first argument.
    v.xDlOpen = [](sqlite3_vfs *self, const char *name) {
      return real_vfs(self)->xDlOpen(real_vfs(self), name);
    };
    v.xDlError = [](sqlite3_vfs *self, int n, char *out) {
      real_vfs(self)->xDlError(real_vfs(self), n, out);
    };
    v.xDlSym = [](sqlite3_vfs *self, void *handle, const char *symbol) {
      return real_vfs(self)->xDlSym(real_vfs(self), handle, symbol);
    };
    v.xDlClose = [](sqlite3_vfs *self, void *handle) {
      real_vfs(self)->xDlClose(real_vfs(self), handle);
    };
    v.xRandomness = [](sqlite3_vfs *self, int n, char *out) {
      return real_vfs(self)->xRandomness(real_vfs(self), n, out);
    };
    v.xCurrentTime = [](sqlite3_vfs *self, double *out) {
      return real_vfs(self)->xCurrentTime(real_vfs(self), out);
    };
    v.xGetLastError = [](sqlite3_vfs *self, int n, char *out) {
      return real_vfs(self)->xGetLastError(real_vfs(self), n, out);
    };
    v.xCurrentTimeInt64 = [](sqlite3_vfs *self, sqlite3_int64 *out) {
      return real_vfs(self)->xCurrentTimeInt64(real_vfs(self), out);
    };
    v.xSetSystemCall = nullptr;
    v.xGetSystemCall = nullptr;
    v.xNextSystemCall = nullptr;
    v.iVersion = 2;
    return v;
  }();
  static const bool registered = ::sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
  return registered ? vfs.zName : nullptr;
}

// Async mode: every file access of every call on a file database
// (prepare, step, exec, blobs, backups, checkpoints, closes with and
// without statements left) is made by a worker; none blocks the loop.
// Blocking mode: all of them here.
TEST_P(Sqlite, FileAccessHappensOnWorkersOnlyInAsyncMode) {
  const char *vfs = probe_vfs_name();
  ASSERT_NE(vfs, nullptr);
  temp_dir dir;
  accesses.test_thread = ::pthread_self();
  accesses.on_test_thread = 0;
  accesses.elsewhere = 0;
  const transcript got =
      vinyl::block_on(handles_vinyl(dir.file("probed.db"), vfs));
  EXPECT_TRUE(contains(got, "copy step 100 0123456789abcdef"));
  EXPECT_TRUE(contains(got, "zombie finalize 0"));
  if (async()) {
    EXPECT_EQ(accesses.on_test_thread.load(), 0);
    EXPECT_GT(accesses.elsewhere.load(), 0);
  } else {
    EXPECT_GT(accesses.on_test_thread.load(), 0);
    EXPECT_EQ(accesses.elsewhere.load(), 0);
  }
}

} // namespace
} // namespace vinyl_sqlite_test
