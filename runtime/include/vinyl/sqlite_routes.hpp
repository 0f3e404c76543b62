// vinyl::sqlite's routing: where an async-mode call of <vinyl/sqlite.hpp>
// is made (in place on the loop thread, on any worker of vinyl::offload's
// pool, or through its connection's own offload_strand), and the table of
// what the runtime knows of SQLite handles that the choice needs. Part of
// <vinyl/sqlite.hpp>, which includes it; include that one. Kept apart so
// that the awaitables and the calls there read without the bookkeeping
// below, which async mode needs (blocking mode only drops what a close
// leaves behind, and builds nothing).
//
// A call that may wait for the disk is offloaded. Except where there is
// nothing to wait for: a call on a connection whose databases are all in
// memory or temporary (sqlite3_db_filename is NULL or "" for each of them,
// main and attached), or an open of ":memory:", "", or a URI with
// mode=memory, is made in place, on the loop thread, without suspending. A
// hand-off costs far more than such a call: measured on a shared 2-core VM,
// ~1.5 us when the worker and the loop are awake, 15-70 us when either must
// be woken, against ~0.35 us for an in-memory point select.
//
// SQLite's threading mode decides how offloaded calls may overlap:
// - sqlite3_threadsafe() == 0 (built without mutexes): nothing is offloaded.
// - a serialized connection (sqlite3_db_mutex is not NULL; Debian's build by
//   default): SQLite's own per-connection mutex orders the calls; they go to
//   the pool as they come.
// - a multi-thread connection (sqlite3_db_mutex is NULL: SQLITE_OPEN_NOMUTEX,
//   SQLITE_CONFIG_MULTITHREAD, or a build with SQLITE_THREADSAFE=2), which
//   two threads must not use at once: its calls go through an
//   offload_strand of its own, so they run one at a time, in order, while
//   other connections' calls run in parallel. The strands live in a small
//   table keyed by the connection, made at the connection's first offloaded
//   call and dropped by close/close_v2; once a connection has one, all its
//   calls (even those that could be made in place) go through it, so no call
//   made on the loop thread overlaps one still running on a worker.
//   (One strand for the whole process would need no table, but would make
//   every connection wait for every other's disk.)
// A program that selects single-thread mode at run time
// (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD)) must not use async mode with
// file databases: SQLite offers no way to detect that mode, which looks like
// multi-thread mode here.
//
// Blob and backup handles do not name their connection (sqlite3_blob and
// sqlite3_backup are opaque), so blob_open and backup_init, run in async
// mode, record it in the same table, and blob_close and backup_finish drop
// it. A handle the table does not know (made by code that was not
// converted, or in blocking mode) is used in place; on a multi-thread
// connection that other tasks use meanwhile, such a handle must not be used
// in async mode. A backup step is offloaded even between two in-memory
// databases (rare; it merely costs a hand-off).
#pragma once

#include <vinyl/event_loop.hpp>
#include <vinyl/offload.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include <pthread.h>
#include <sqlite3.h>

namespace vinyl::sqlite::detail {

// How an async-mode call is made: in place, on any worker, or through the
// connection's strand.
enum class where : unsigned char { here, pool, strand };

// No default member initialisers: the awaitable holds one, which blocking
// mode leaves untouched. `{}` is in place.
struct route {
  where how;
  offload_strand *strand;
};

// What the runtime knows of SQLite handles: the strand of a multi-thread
// connection, and the connection of a blob or backup handle. A hash table
// of chained entries under one mutex; it is looked up only in async mode on
// the way to a worker (or for a blob or backup), where a lock costs little
// next to the hand-off.
class registry {
public:
  struct entry {
    const void *key;
    entry *next;
    sqlite3 *db;            // a connection itself, or a handle's connection
    offload_strand *strand; // a multi-thread connection's
  };

  // Made by the first async-mode call that needs it (nullptr when memory
  // runs out), and never destroyed: a worker may finish a call while the
  // program exits.
  static registry *instance() noexcept {
    registry *self = existing();
    if (self)
      return self;
    auto *made = new (std::nothrow) registry;
    if (made &&
        !__atomic_compare_exchange_n(&instance_, &self, made, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      delete made;
      return self;
    }
    return made;
  }

  // Without making it: blocking mode never does (close, blob_close and
  // backup_finish only look), so it allocates nothing.
  static registry *existing() noexcept {
    return __atomic_load_n(&instance_, __ATOMIC_ACQUIRE);
  }

  registry(const registry &) = delete;
  registry &operator=(const registry &) = delete;

  // Lets the calls on handles skip the lock in a program that never made an
  // entry.
  bool empty() const noexcept {
    return __atomic_load_n(&count_, __ATOMIC_RELAXED) == 0;
  }

  class lock {
  public:
    explicit lock(registry &r) noexcept : r_(r) {
      ::pthread_mutex_lock(&r_.mutex_);
    }
    lock(const lock &) = delete;
    lock &operator=(const lock &) = delete;
    ~lock() { ::pthread_mutex_unlock(&r_.mutex_); }

  private:
    registry &r_;
  };

  // The rest under the lock.
  entry *find(const void *key) noexcept {
    if (buckets_.empty())
      return nullptr;
    for (entry *e = buckets_[slot(key)]; e; e = e->next)
      if (e->key == key)
        return e;
    return nullptr;
  }

  // nullptr when memory runs out: the caller then makes its call in place,
  // which is always correct.
  entry *insert(const void *key, sqlite3 *db) noexcept {
    if (count_ >= buckets_.size() && !grow())
      return nullptr;
    auto *e = new (std::nothrow) entry{key, nullptr, db, nullptr};
    if (!e)
      return nullptr;
    entry *&head = buckets_[slot(key)];
    e->next = head;
    head = e;
    __atomic_store_n(&count_, count_ + 1, __ATOMIC_RELAXED);
    return e;
  }

  // Unlinks key's entry; the caller frees it with release, outside the
  // lock (a strand's destructor may wait for its worker).
  entry *remove(const void *key) noexcept {
    if (buckets_.empty())
      return nullptr;
    for (entry **link = &buckets_[slot(key)]; *link; link = &(*link)->next) {
      entry *e = *link;
      if (e->key == key) {
        *link = e->next;
        __atomic_store_n(&count_, count_ - 1, __ATOMIC_RELAXED);
        return e;
      }
    }
    return nullptr;
  }

  static void release(entry *e) noexcept {
    if (!e)
      return;
    delete e->strand;
    delete e;
  }

private:
  registry() = default;

  std::size_t slot(const void *key) const noexcept {
    // Fibonacci hashing: allocator addresses share their low bits.
    const auto bits = reinterpret_cast<std::uintptr_t>(key) *
                      static_cast<std::uintptr_t>(0x9E3779B97F4A7C15ull);
    return static_cast<std::size_t>(bits >> 32) & (buckets_.size() - 1);
  }

  bool grow() noexcept {
    ::vinyl::detail::pod_vector<entry *> old;
    old.swap(buckets_);
    try {
      buckets_.resize(old.empty() ? 16 : 2 * old.size());
    } catch (const std::bad_alloc &) {
      buckets_.swap(old);
      return false;
    }
    for (entry *chain : old)
      while (chain) {
        entry *next = chain->next;
        entry *&head = buckets_[slot(chain->key)];
        chain->next = head;
        head = chain;
        chain = next;
      }
    return true;
  }

  static inline registry *instance_ = nullptr;

  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER;
  ::vinyl::detail::pod_vector<entry *> buckets_;
  std::size_t count_ = 0;
};

// The connection this thread last found with nothing to wait for, so that
// a run of calls on an in-memory database skips most of the look at its
// schema list: measured, the full look (the connection's mutex taken with a
// try-lock, and three library calls) costs ~25 ns, a fifth of an in-memory
// point select's step and reset; the hint's ~12 ns. The hint holds while
//  - the generation is unchanged: it is bumped when a connection gets a
//    strand (its calls must then all go through it) or is closed;
//  - the connection has no attached database (an ATTACH made in place
//    since would otherwise go unnoticed): sqlite3_db_name(db, 2) is NULL;
//  - its main database is still unnamed: the address may belong to a new
//    connection, to a file, if code that was not converted closed the old
//    one and opened another (which bumps nothing).
// These two reads are made without the connection's mutex: only another
// thread attaching or detaching a database on this very connection at the
// same moment could race with them, and a wrong answer here could only make
// a call in place, which gives the same results.
struct memory_hint {
  sqlite3 *db;
  unsigned generation;
};

inline constinit thread_local memory_hint tls_memory_hint{nullptr, 0};
inline unsigned memory_generation = 0;

inline unsigned current_memory_generation() noexcept {
  return __atomic_load_n(&memory_generation, __ATOMIC_ACQUIRE);
}

inline void forget_memory_hints() noexcept {
  __atomic_add_fetch(&memory_generation, 1, __ATOMIC_ACQ_REL);
}

// Drops what the registry holds for a connection or handle that is gone.
inline void forget(const void *key) noexcept {
  registry *r = registry::existing();
  if (!r || r->empty())
    return;
  registry::entry *e;
  {
    registry::lock held(*r);
    e = r->remove(key);
  }
  registry::release(e);
}

// A closed connection: its strand goes, and so do the hints naming it.
inline void forget_connection(sqlite3 *db) noexcept {
  forget_memory_hints();
  forget(db);
}

// Whether db has a database attached besides main and temp.
inline bool has_attached(sqlite3 *db) noexcept {
#if SQLITE_VERSION_NUMBER >= 3039000
  return ::sqlite3_db_name(db, 2) != nullptr;
#else
  (void)db;
  return false; // no way to list them before 3.39: main alone decides
#endif
}

// Whether one of db's databases is a file SQLite may wait for: main or an
// attached one. temp (index 1) is at most a temporary file, named "" too.
// The caller keeps other threads from attaching or detaching meanwhile.
inline bool has_file(sqlite3 *db) noexcept {
#if SQLITE_VERSION_NUMBER >= 3039000
  for (int i = 0;; i = i == 0 ? 2 : i + 1) {
    const char *name = ::sqlite3_db_name(db, i);
    if (!name)
      return false;
    const char *file = ::sqlite3_db_filename(db, name);
    if (file && *file)
      return true;
  }
#else
  const char *file = ::sqlite3_db_filename(db, "main");
  return file && *file;
#endif
}

// A multi-thread connection's route: through its strand when it has one or
// needs one (a file database), else in place. With the registry locked.
inline route strand_route(registry &r, sqlite3 *db) noexcept {
  registry::entry *e = r.find(db);
  if (!e) {
    // No strand yet, so no call of db runs on a worker: reading its
    // schema list here races with nothing.
    if (!has_file(db))
      return {};
    e = r.insert(db, db);
    if (!e)
      return {};
  }
  if (!e->strand) {
    e->strand = new (std::nothrow) offload_strand;
    if (!e->strand)
      return {};
    forget_memory_hints();
  }
  return {where::strand, e->strand};
}

// Where a call on connection db goes in async mode.
inline route route_of(sqlite3 *db) noexcept {
  if (!db || ::sqlite3_threadsafe() == 0)
    return {};
  memory_hint &hint = tls_memory_hint;
  const unsigned generation = current_memory_generation();
  if (hint.db == db && hint.generation == generation && !has_attached(db)) {
    const char *file = ::sqlite3_db_filename(db, "main");
    if (!file || !*file)
      return {};
  }
  route r{};
  if (sqlite3_mutex *mutex = ::sqlite3_db_mutex(db)) {
    // Serialized. Another task's offloaded call may be attaching a
    // database right now: look at the schema list under the connection's
    // mutex, but never wait for it on the loop thread. A connection busy
    // on a worker goes to a worker.
    if (::sqlite3_mutex_try(mutex) != SQLITE_OK)
      return {where::pool, nullptr};
    if (has_file(db))
      r.how = where::pool;
    ::sqlite3_mutex_leave(mutex);
  } else {
    registry *reg = registry::instance();
    if (!reg)
      return {};
    registry::lock held(*reg);
    r = strand_route(*reg, db);
  }
  if (r.how == where::here)
    hint = {db, generation};
  return r;
}

// Where a call on a blob handle goes: by its connection, if blob_open
// recorded it.
inline route route_of_handle(const void *handle) noexcept {
  registry *r = registry::existing();
  if (!handle || !r || r->empty())
    return {};
  sqlite3 *db;
  {
    registry::lock held(*r);
    registry::entry *e = r->find(handle);
    if (!e)
      return {};
    db = e->db;
    if (!::sqlite3_db_mutex(db))
      return strand_route(*r, db);
  }
  return route_of(db);
}

// A backup step copies pages between two connections, at least one of
// which is usually a file: always offloaded when backup_init recorded the
// source. backup_step takes both connections' mutexes itself when they are
// serialized; a multi-thread source's calls go through its strand (the
// destination must not be used at all while the backup runs).
inline route route_of_backup(sqlite3_backup *backup) noexcept {
  registry *r = registry::existing();
  if (!backup || !r || r->empty() || ::sqlite3_threadsafe() == 0)
    return {};
  registry::lock held(*r);
  registry::entry *e = r->find(backup);
  if (!e)
    return {};
  sqlite3 *source = e->db;
  if (::sqlite3_db_mutex(source))
    return {where::pool, nullptr};
  registry::entry *s = r->find(source);
  if (!s && !(s = r->insert(source, source)))
    return {};
  if (!s->strand) {
    if (!(s->strand = new (std::nothrow) offload_strand))
      return {};
    forget_memory_hints();
  }
  return {where::strand, s->strand};
}

// Records the connection of a blob or backup handle made in async mode.
inline void remember(const void *handle, sqlite3 *db) noexcept {
  if (!handle)
    return;
  registry *r = registry::instance();
  if (!r)
    return;
  registry::lock held(*r);
  if (registry::entry *e = r->find(handle))
    e->db = db; // an address reused after a handle closed by plain code
  else
    (void)r->insert(handle, db);
}

// Whether a URI query ("a=b&c=d", up to '#') holds the pair `pair`.
inline bool query_has(const char *query, const char *pair) noexcept {
  const std::size_t n = std::strlen(pair);
  while (*query && *query != '#') {
    if (std::strncmp(query, pair, n) == 0 &&
        (query[n] == '\0' || query[n] == '&' || query[n] == '#'))
      return true;
    while (*query && *query != '&' && *query != '#')
      ++query;
    if (*query == '&')
      ++query;
  }
  return false;
}

// Whether an open names an in-memory or temporary database: nothing to
// wait for. A URI is recognised whether or not URIs are enabled: a file
// that really has such a name is then merely opened on the loop thread.
inline bool names_memory(const char *filename, int flags,
                         const char *vfs) noexcept {
  if ((flags & SQLITE_OPEN_MEMORY) || !filename || !*filename ||
      std::strcmp(filename, ":memory:") == 0 ||
      (vfs && std::strcmp(vfs, "memdb") == 0))
    return true;
  if (std::strncmp(filename, "file:", 5) != 0)
    return false;
  const char *path = filename + 5;
  if (std::strncmp(path, ":memory:", 8) == 0 &&
      (path[8] == '\0' || path[8] == '?' || path[8] == '#'))
    return true;
  const char *query = std::strchr(path, '?');
  return query && (query_has(query + 1, "mode=memory") ||
                   query_has(query + 1, "vfs=memdb"));
}

inline route route_of_open(const char *filename, int flags,
                           const char *vfs) noexcept {
  // No connection exists yet, so none can be in use elsewhere.
  if (::sqlite3_threadsafe() == 0 || names_memory(filename, flags, vfs))
    return {};
  return {where::pool, nullptr};
}

} // namespace vinyl::sqlite::detail
