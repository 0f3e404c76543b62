// vinyl::sqlite: awaitable replacements for the SQLite calls that touch the
// database file (rules/sqlite.yaml maps sqlite3_step to vinyl::sqlite::step,
// and so on).
//
// `co_await vinyl::sqlite::step(stmt)` takes sqlite3_step's arguments and
// yields what sqlite3_step yields, with the same connection state
// (sqlite3_errcode, sqlite3_errmsg) and errno. Each function is the C call's
// name without the sqlite3_ prefix.
//
// Blocking mode (no event loop on this thread): the awaitable is ready at
// once and makes the plain call in await_resume. No coroutine frame, no
// allocation, no system call: the cost over the plain call is a
// thread-local load and a branch, twice.
//
// Async mode (block_on or run started a loop on this thread): SQLite has no
// non-blocking interface, so a call that may wait for the disk is made by a
// worker of vinyl::offload's pool while the loop runs other tasks; the loop
// resumes the task with the call's result and errno (the worker makes the
// call with the caller's errno, as the plain call would see it). Calls with
// nothing to wait for (every database of the connection in memory or
// temporary, an open of ":memory:") are made in place, on the loop thread,
// without suspending; a multi-thread connection's calls go through a strand
// of its own, so that they never overlap. sqlite_routes.hpp decides where
// each call goes, and says why.
//
// Two things async mode cannot see, and so asks of the program (why: see
// sqlite_routes.hpp): a program that selects single-thread mode at run time
// (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD)) must not use async mode with
// file databases; and a blob or backup handle made by code that was not
// converted, or in blocking mode, is used in place, so it must not be used
// in async mode on a multi-thread connection that other tasks use
// meanwhile.
//
// Callbacks run where the call runs: exec's callback, a busy handler, SQL
// functions, hooks and the like run on a worker thread when the call is
// offloaded, so they must not use the loop's thread-local state
// (vinyl::on_event_loop() is false there), and must not throw, as with the
// plain C call. While a task waits for an offloaded call, other tasks may
// use the same connection (SQLite serializes them); one of them may then
// change what sqlite3_errmsg reports before the waiting task reads it, as
// with two threads sharing a connection.
#pragma once

#include <vinyl/event_loop.hpp>
#include <vinyl/offload.hpp>
#include <vinyl/sqlite_routes.hpp>

#include <cerrno>
#include <coroutine>
#include <utility>

#include <sqlite3.h>

namespace vinyl::sqlite {
namespace detail {

// The awaitable of every call. Call holds the arguments and has
//   R call() const             the plain call;
//   route choose_route() const where async mode makes it;
// and optionally
//   void after(R) const        what follows the call, in both modes (on
//                              the awaiting thread): dropping or
//                              recording a handle.
// What async mode needs lives in the awaitable (the awaiting frame) and is
// left uninitialised until await_ready finds a loop, so blocking mode
// builds nothing.
//
// Async mode: await_ready decides the route. A call made in place is made
// in await_resume, as in blocking mode, without suspending. An offloaded
// call is queued (to the pool or the connection's strand); the worker makes
// it and hands the job back through the loop's inbox, which resumes the
// task. (vinyl::offload_op does the same for any callable, but carries
// arguments, exceptions and results of any type, and always suspends: this
// one decides first whether to.)
template <class Call> class [[nodiscard]] call_op {
public:
  using result_type = decltype(std::declval<const Call &>().call());

  explicit call_op(const Call &call) noexcept : call_(call) {}
  call_op(const call_op &) = delete;
  call_op &operator=(const call_op &) = delete;

  bool await_ready() noexcept {
    if (!::vinyl::detail::tls_loop) [[likely]]
      return true;
    route_ = call_.choose_route();
    return route_.how == where::here;
  }

  bool await_suspend(std::coroutine_handle<> waiter) {
    saved_errno_ = errno;
    job_.run = &run;
    job_.context = this;
    ::vinyl::detail::begin_offload(job_, op_, waiter);
    try {
      ::vinyl::detail::hand_to_workers(
          job_, route_.how == where::strand ? route_.strand : nullptr);
    } catch (...) {
      // No worker could be started. The plain call would not have failed:
      // make it here. (A strand throws only when it was idle, so no call
      // of the connection runs elsewhere.)
      errno = saved_errno_;
      result_ = call_.call();
      saved_errno_ = errno;
      return false;
    }
    return true;
  }

  result_type await_resume() {
    if (!::vinyl::detail::tls_loop || route_.how == where::here) [[likely]] {
      if constexpr (has_after) {
        const result_type r = call_.call();
        const int error = errno;
        call_.after(r);
        errno = error;
        return r;
      } else {
        return call_.call();
      }
    }
    if constexpr (has_after)
      call_.after(result_);
    errno = saved_errno_;
    return result_;
  }

private:
  static constexpr bool has_after = requires(const Call &c, result_type r) {
    c.after(r);
  };

  // On the worker thread, with the errno the caller had, as the plain call
  // would see it.
  static void run(::vinyl::detail::offload_job &job) noexcept {
    auto &self = *static_cast<call_op *>(job.context);
    errno = self.saved_errno_;
    self.result_ = self.call_.call();
    self.saved_errno_ = errno;
    job.loop->post_remote(job);
  }

  Call call_;
  route route_;
  result_type result_;
  int saved_errno_;
  ::vinyl::detail::offload_job job_;
  ::vinyl::detail::operation op_;
};

// The calls. Each names its arguments as sqlite3.h does.

struct open_call {
  const char *filename;
  sqlite3 **db;
  int call() const noexcept { return ::sqlite3_open(filename, db); }
  route choose_route() const noexcept {
    return route_of_open(filename, 0, nullptr);
  }
};

struct open_v2_call {
  const char *filename;
  sqlite3 **db;
  int flags;
  const char *vfs;
  int call() const noexcept {
    return ::sqlite3_open_v2(filename, db, flags, vfs);
  }
  route choose_route() const noexcept {
    return route_of_open(filename, flags, vfs);
  }
};

struct prepare_v2_call {
  sqlite3 *db;
  const char *sql;
  int bytes;
  sqlite3_stmt **stmt;
  const char **tail;
  int call() const noexcept {
    return ::sqlite3_prepare_v2(db, sql, bytes, stmt, tail);
  }
  route choose_route() const noexcept { return route_of(db); }
};

struct prepare_v3_call {
  sqlite3 *db;
  const char *sql;
  int bytes;
  unsigned int prep_flags;
  sqlite3_stmt **stmt;
  const char **tail;
  int call() const noexcept {
    return ::sqlite3_prepare_v3(db, sql, bytes, prep_flags, stmt, tail);
  }
  route choose_route() const noexcept { return route_of(db); }
};

struct step_call {
  sqlite3_stmt *stmt;
  int call() const noexcept { return ::sqlite3_step(stmt); }
  route choose_route() const noexcept {
    return route_of(::sqlite3_db_handle(stmt));
  }
};

struct reset_call {
  sqlite3_stmt *stmt;
  int call() const noexcept { return ::sqlite3_reset(stmt); }
  route choose_route() const noexcept {
    return route_of(::sqlite3_db_handle(stmt));
  }
};

struct finalize_call {
  sqlite3_stmt *stmt;
  int call() const noexcept { return ::sqlite3_finalize(stmt); }
  route choose_route() const noexcept {
    return route_of(::sqlite3_db_handle(stmt));
  }
};

struct exec_call {
  sqlite3 *db;
  const char *sql;
  int (*callback)(void *, int, char **, char **);
  void *arg;
  char **errmsg;
  int call() const noexcept {
    return ::sqlite3_exec(db, sql, callback, arg, errmsg);
  }
  route choose_route() const noexcept { return route_of(db); }
};

struct close_call {
  sqlite3 *db;
  int call() const noexcept { return ::sqlite3_close(db); }
  route choose_route() const noexcept { return route_of(db); }
  // A connection left open (SQLITE_BUSY) keeps its strand.
  void after(int result) const noexcept {
    if (result == SQLITE_OK)
      forget_connection(db);
  }
};

struct close_v2_call {
  sqlite3 *db;
  int call() const noexcept { return ::sqlite3_close_v2(db); }
  route choose_route() const noexcept { return route_of(db); }
  // A connection with statements left becomes a zombie, closed by the last
  // finalize: those are made in place (or through a new strand).
  void after(int result) const noexcept {
    if (result == SQLITE_OK)
      forget_connection(db);
  }
};

struct wal_checkpoint_v2_call {
  sqlite3 *db;
  const char *db_name;
  int mode;
  int *log_frames;
  int *checkpointed_frames;
  int call() const noexcept {
    return ::sqlite3_wal_checkpoint_v2(db, db_name, mode, log_frames,
                                       checkpointed_frames);
  }
  route choose_route() const noexcept { return route_of(db); }
};

struct blob_open_call {
  sqlite3 *db;
  const char *db_name;
  const char *table;
  const char *column;
  sqlite3_int64 row;
  int flags;
  sqlite3_blob **blob;
  int call() const noexcept {
    return ::sqlite3_blob_open(db, db_name, table, column, row, flags, blob);
  }
  route choose_route() const noexcept { return route_of(db); }
  void after(int result) const noexcept {
    if (result == SQLITE_OK && ::vinyl::detail::tls_loop)
      remember(*blob, db);
  }
};

struct blob_reopen_call {
  sqlite3_blob *blob;
  sqlite3_int64 row;
  int call() const noexcept { return ::sqlite3_blob_reopen(blob, row); }
  route choose_route() const noexcept { return route_of_handle(blob); }
};

struct blob_read_call {
  sqlite3_blob *blob;
  void *buffer;
  int bytes;
  int offset;
  int call() const noexcept {
    return ::sqlite3_blob_read(blob, buffer, bytes, offset);
  }
  route choose_route() const noexcept { return route_of_handle(blob); }
};

struct blob_write_call {
  sqlite3_blob *blob;
  const void *buffer;
  int bytes;
  int offset;
  int call() const noexcept {
    return ::sqlite3_blob_write(blob, buffer, bytes, offset);
  }
  route choose_route() const noexcept { return route_of_handle(blob); }
};

struct blob_close_call {
  sqlite3_blob *blob;
  int call() const noexcept { return ::sqlite3_blob_close(blob); }
  route choose_route() const noexcept { return route_of_handle(blob); }
  // The handle is freed whatever the result.
  void after(int) const noexcept { forget(blob); }
};

struct backup_init_call {
  sqlite3 *dest;
  const char *dest_name;
  sqlite3 *source;
  const char *source_name;
  sqlite3_backup *call() const noexcept {
    return ::sqlite3_backup_init(dest, dest_name, source, source_name);
  }
  // It reads no pages, but must not overlap a call of the source running on
  // a worker.
  route choose_route() const noexcept { return route_of(source); }
  void after(sqlite3_backup *backup) const noexcept {
    if (::vinyl::detail::tls_loop)
      remember(backup, source);
  }
};

struct backup_step_call {
  sqlite3_backup *backup;
  int pages;
  int call() const noexcept { return ::sqlite3_backup_step(backup, pages); }
  route choose_route() const noexcept { return route_of_backup(backup); }
};

struct backup_finish_call {
  sqlite3_backup *backup;
  int call() const noexcept { return ::sqlite3_backup_finish(backup); }
  route choose_route() const noexcept { return route_of_backup(backup); }
  void after(int) const noexcept { forget(backup); }
};

} // namespace detail

inline auto open(const char *filename, sqlite3 **db) noexcept {
  return detail::call_op<detail::open_call>({filename, db});
}

inline auto open_v2(const char *filename, sqlite3 **db, int flags,
                    const char *vfs) noexcept {
  return detail::call_op<detail::open_v2_call>({filename, db, flags, vfs});
}

inline auto prepare_v2(sqlite3 *db, const char *sql, int bytes,
                       sqlite3_stmt **stmt, const char **tail) noexcept {
  return detail::call_op<detail::prepare_v2_call>({db, sql, bytes, stmt, tail});
}

inline auto prepare_v3(sqlite3 *db, const char *sql, int bytes,
                       unsigned int prep_flags, sqlite3_stmt **stmt,
                       const char **tail) noexcept {
  return detail::call_op<detail::prepare_v3_call>(
      {db, sql, bytes, prep_flags, stmt, tail});
}

inline auto step(sqlite3_stmt *stmt) noexcept {
  return detail::call_op<detail::step_call>({stmt});
}

inline auto reset(sqlite3_stmt *stmt) noexcept {
  return detail::call_op<detail::reset_call>({stmt});
}

inline auto finalize(sqlite3_stmt *stmt) noexcept {
  return detail::call_op<detail::finalize_call>({stmt});
}

// In async mode on a file database the callback runs on a worker thread.
inline auto exec(sqlite3 *db, const char *sql,
                 int (*callback)(void *, int, char **, char **), void *arg,
                 char **errmsg) noexcept {
  return detail::call_op<detail::exec_call>({db, sql, callback, arg, errmsg});
}

inline auto close(sqlite3 *db) noexcept {
  return detail::call_op<detail::close_call>({db});
}

inline auto close_v2(sqlite3 *db) noexcept {
  return detail::call_op<detail::close_v2_call>({db});
}

inline auto wal_checkpoint_v2(sqlite3 *db, const char *db_name, int mode,
                              int *log_frames,
                              int *checkpointed_frames) noexcept {
  return detail::call_op<detail::wal_checkpoint_v2_call>(
      {db, db_name, mode, log_frames, checkpointed_frames});
}

inline auto blob_open(sqlite3 *db, const char *db_name, const char *table,
                      const char *column, sqlite3_int64 row, int flags,
                      sqlite3_blob **blob) noexcept {
  return detail::call_op<detail::blob_open_call>(
      {db, db_name, table, column, row, flags, blob});
}

inline auto blob_reopen(sqlite3_blob *blob, sqlite3_int64 row) noexcept {
  return detail::call_op<detail::blob_reopen_call>({blob, row});
}

inline auto blob_read(sqlite3_blob *blob, void *buffer, int bytes,
                      int offset) noexcept {
  return detail::call_op<detail::blob_read_call>({blob, buffer, bytes, offset});
}

inline auto blob_write(sqlite3_blob *blob, const void *buffer, int bytes,
                       int offset) noexcept {
  return detail::call_op<detail::blob_write_call>(
      {blob, buffer, bytes, offset});
}

inline auto blob_close(sqlite3_blob *blob) noexcept {
  return detail::call_op<detail::blob_close_call>({blob});
}

inline auto backup_init(sqlite3 *dest, const char *dest_name, sqlite3 *source,
                        const char *source_name) noexcept {
  return detail::call_op<detail::backup_init_call>(
      {dest, dest_name, source, source_name});
}

inline auto backup_step(sqlite3_backup *backup, int pages) noexcept {
  return detail::call_op<detail::backup_step_call>({backup, pages});
}

inline auto backup_finish(sqlite3_backup *backup) noexcept {
  return detail::call_op<detail::backup_finish_call>({backup});
}

} // namespace vinyl::sqlite
