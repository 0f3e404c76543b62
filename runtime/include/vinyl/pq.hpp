// vinyl::pq: awaitable replacements for libpq's blocking calls.
//
// `co_await vinyl::pq::exec(conn, "SELECT 1")` takes PQexec's arguments and
// yields what PQexec would: the same kind of PGresult, the same connection
// state and the same PQerrorMessage text. Each function is named after the
// libpq call it replaces (connectdb for PQconnectdb, exec_params for
// PQexecParams, ...) and yields that call's result type.
//
// Blocking mode (no event loop on this thread): the awaitable is ready at
// once and makes the libpq call itself in await_resume. No coroutine frame,
// no allocation: the cost over the plain call is a thread-local load and a
// branch in await_ready and a test of a flag in await_resume.
//
// Async mode (block_on or run started a loop on this thread): the awaitable
// starts a vinyl::task that drives libpq's non-blocking protocol and waits
// for the socket with vinyl::io's readiness awaitables, so the loop runs its
// other tasks meanwhile and never waits inside libpq. The task runs inside
// await_suspend until its first wait; a call that needs none (its result
// had already arrived) resumes the caller without suspending it. Per call:
//
// - connectdb, connectdb_params: PQconnectStart(Params), then PQconnectPoll
//   each time the socket (which may change from one poll to the next) is
//   ready as the last poll asked. connect_timeout is read and enforced per
//   address as PQconnectdb does; see "Limits" for what happens when it runs
//   out.
// - exec, exec_params, prepare, exec_prepared: PQexec's own three steps,
//   with waits where libpq would block. PQexecStart: results an earlier
//   command left unread are read and dropped (a COPY IN is ended with "COPY
//   terminated by new PQexec", a COPY OUT's rows are dropped, COPY BOTH is
//   refused). The PQsend* call, on a connection made non-blocking for the
//   time of the send, then PQflush until everything is out, reading input
//   meanwhile as libpq does. PQexecFinish: PQgetResult until NULL, each call
//   made only once PQisBusy says it will not wait; the last result is
//   returned, and the loop stops at a COPY_IN, COPY_OUT or COPY_BOTH result
//   or a lost connection. Error texts accumulate in PQerrorMessage exactly
//   as in PQexec, since the same libpq calls make them.
// - get_result: PQgetResult once PQisBusy is false.
// - put_copy_data, put_copy_end, flush: queued with the connection made
//   non-blocking, then flushed while the loop waits for the socket. On a
//   connection the program made non-blocking itself they are the plain
//   calls, which do not wait there either.
// - get_copy_data(conn, buffer, 0): PQgetCopyData(conn, buffer, 1) until a
//   row, the end or an error; with async != 0 it is the plain call.
// - consume_input: the plain call in both modes (it never waits).
//
// The connection's non-blocking setting is put back as it was after each
// call. When the server goes away the wait ends on the socket's hang-up or
// error, and the rest is left to the libpq call the blocking mode would
// make, which then finds the end without waiting: the same NULL or
// PGRES_FATAL_ERROR result, CONNECTION_BAD and "server closed the connection
// unexpectedly" text as in blocking mode.
//
// Limits (async mode): PQconnectPoll resolves host names itself with
// getaddrinfo, which blocks the loop for the lookup (hostaddr=, or a Unix
// socket directory, avoids it). When connect_timeout runs out, libpq itself
// gives up the address with "timeout expired" and tries the next one; its
// API offers no way to ask for that from outside, so the adapter shuts the
// socket down and libpq fails that attempt at its next poll. While the TCP
// connection is still being made, that is the same: the attempt fails and
// libpq moves on to the next address or host. Once it is made (a server
// that accepted but never answers), libpq fails the whole connection
// instead, with CONNECTION_BAD: hosts listed after it are not tried, and
// the message says "server closed the connection unexpectedly" rather
// than "timeout expired".
#pragma once

#include <vinyl/adapter.hpp>
#include <vinyl/event_loop.hpp>
#include <vinyl/io.hpp>
#include <vinyl/task.hpp>

#include <cctype>
#include <cerrno>
#include <climits>
#include <coroutine>
#include <cstdlib>
#include <cstring>

#include <libpq-fe.h>
#include <poll.h>
#include <sys/socket.h>

namespace vinyl::pq {
namespace detail {

// A wait for `events` on fd; timeout_ns < 0: no timeout.
inline io::wait_op wait_for(int fd, short events,
                            long long timeout_ns = -1) noexcept {
  return {{}, pollfd{fd, events, 0}, timeout_ns};
}

// What poll reports when no more data will come: after it, libpq's own read
// finds the end (or the error) without waiting.
constexpr short input_ended = POLLHUP | POLLERR | POLLRDHUP | POLLNVAL;

enum class input { read, ended, failed };

// Waits for input on the connection's socket and takes it in. read:
// PQconsumeInput took what came (ask PQisBusy again). ended: no more input
// will come (hang-up, error) or the poll failed: the libpq call blocking
// mode makes now finds the end without waiting and reports it as it would
// (had PQconsumeInput met the end, it would have closed the socket, and
// PQgetResult would add "invalid socket" to the message). failed:
// PQconsumeInput failed, with its message.
//
// An awaitable rather than a coroutine, like the other waits here: the
// loops that use it complete many steps without suspending, and must not
// grow the stack doing so.
struct [[nodiscard]] input_op : io::wait_op {
  PGconn *conn;
  input await_resume() {
    if (io::wait_op::await_resume() < 0 || (revents() & input_ended))
      return input::ended;
    return PQconsumeInput(conn) ? input::read : input::failed;
  }
};

inline input_op await_input(PGconn *conn, int fd) noexcept {
  return {{{}, pollfd{fd, POLLIN | POLLRDHUP, 0}, -1}, conn};
}

// Waits until the socket takes more data, or input came, which it takes
// in (PQconsumeInput) as libpq's blocking send does: a server blocked
// sending to us (notices during a long COPY) would otherwise never drain
// its side. false: the poll or PQconsumeInput failed.
struct [[nodiscard]] room_op : io::wait_op {
  PGconn *conn;
  bool await_resume() {
    if (io::wait_op::await_resume() < 0)
      return false;
    return !(revents() & (POLLIN | POLLHUP | POLLERR)) ||
           PQconsumeInput(conn) != 0;
  }
};

// Makes the connection non-blocking for the scope's lifetime, if it was
// not. Put back only once the output buffer is empty (PQsetnonblocking
// refuses otherwise), which every path here ensures; a connection lost
// meanwhile keeps the flag, as libpq refuses to change it, and PQreset
// clears it.
class nonblocking_scope {
public:
  explicit nonblocking_scope(PGconn *conn) noexcept
      : conn_(conn),
        changed_(PQisnonblocking(conn) == 0 && PQsetnonblocking(conn, 1) == 0) {
  }
  nonblocking_scope(const nonblocking_scope &) = delete;
  nonblocking_scope &operator=(const nonblocking_scope &) = delete;
  ~nonblocking_scope() {
    if (changed_)
      PQsetnonblocking(conn_, 0);
  }
  bool ok() const noexcept { return PQisnonblocking(conn_) != 0; }

private:
  PGconn *conn_;
  bool changed_;
};

// PQflush until everything queued is sent: 0, or -1 when it fails.
inline task<int> flush_out(PGconn *conn) {
  for (;;) {
    const int flushed = PQflush(conn);
    if (flushed <= 0)
      co_return flushed;
    const int fd = PQsocket(conn);
    if (fd < 0 ||
        !co_await room_op{{{}, pollfd{fd, POLLIN | POLLOUT, 0}, -1}, conn})
      co_return -1;
  }
}

inline task<PGresult *> get_result_async(PGconn *conn) {
  // PQgetResult first sends what a non-blocking connection left queued.
  if (PQisnonblocking(conn))
    (void)co_await flush_out(conn);
  // Then it waits while PQisBusy, which this does without blocking.
  for (int fd; PQisBusy(conn) && (fd = PQsocket(conn)) >= 0;)
    if (co_await await_input(conn, fd) != input::read)
      break;
  co_return PQgetResult(conn);
}

// PQgetCopyData(conn, buffer, 0) without blocking the loop; with drop, the
// rows are freed as they come until the end (for PQexecStart).
inline task<int> get_copy_data_async(PGconn *conn, char **buffer,
                                     bool drop = false) {
  for (;;) {
    const int got = PQgetCopyData(conn, buffer, 1);
    if (got > 0 && drop) {
      PQfreemem(*buffer);
      *buffer = nullptr;
      continue;
    }
    if (got != 0)
      co_return got;
    const int fd = PQsocket(conn);
    if (fd < 0)
      co_return PQgetCopyData(conn, buffer, 0); // fails at once
    const input in = co_await await_input(conn, fd);
    if (in == input::ended) {
      // Reads what is left without waiting: a row, or the end.
      const int last = PQgetCopyData(conn, buffer, 0);
      if (last > 0 && drop) {
        PQfreemem(*buffer);
        *buffer = nullptr;
        continue;
      }
      co_return last;
    }
    // The blocking call answers -2 when its read fails, with this message.
    if (in == input::failed)
      co_return -2;
  }
}

inline task<int> put_copy_data_async(PGconn *conn, const char *buffer,
                                     int nbytes) {
  const nonblocking_scope nonblocking(conn);
  if (!nonblocking.ok())
    co_return PQputCopyData(conn, buffer, nbytes);
  int put = PQputCopyData(conn, buffer, nbytes);
  if (put == 0) {
    // No room even after libpq's own flush attempt: send what is queued
    // and try once more; the blocking call fails (-1) if that is not
    // enough.
    if (co_await flush_out(conn) < 0)
      co_return -1;
    put = PQputCopyData(conn, buffer, nbytes);
    if (put == 0)
      co_return -1;
  }
  if (put < 0)
    co_return put;
  // libpq documents that data queued on a non-blocking connection is to be
  // flushed; this also keeps the buffer from growing without bound.
  co_return co_await flush_out(conn) < 0 ? -1 : 1;
}

inline task<int> put_copy_end_async(PGconn *conn, const char *errormsg) {
  const nonblocking_scope nonblocking(conn);
  if (!nonblocking.ok())
    co_return PQputCopyEnd(conn, errormsg);
  int put = PQputCopyEnd(conn, errormsg);
  if (put == 0) {
    if (co_await flush_out(conn) < 0)
      co_return -1;
    put = PQputCopyEnd(conn, errormsg);
    if (put == 0)
      co_return -1;
  }
  if (put < 0)
    co_return put;
  co_return co_await flush_out(conn) < 0 ? -1 : 1;
}

inline task<int> flush_async(PGconn *conn) {
  const nonblocking_scope nonblocking(conn);
  if (!nonblocking.ok())
    co_return PQflush(conn);
  co_return co_await flush_out(conn);
}

enum class start_outcome { send, fail, plain_call };

// PQexecStart's loop: what an earlier command left unread is read and
// dropped. fail: the connection was lost (the call yields NULL); plain_call:
// COPY BOTH, which the plain call refuses at once with its own message.
inline task<start_outcome> exec_start(PGconn *conn) {
  // Not idle: a command is running or its results are unread.
  while (PQtransactionStatus(conn) == PQTRANS_ACTIVE) {
    for (int fd; PQisBusy(conn) && (fd = PQsocket(conn)) >= 0;)
      if (co_await await_input(conn, fd) != input::read)
        break;
    PGresult *const result = PQgetResult(conn);
    if (!result)
      break;
    const ExecStatusType status = PQresultStatus(result);
    PQclear(result);
    if (status == PGRES_COPY_IN) {
      if (co_await put_copy_end_async(conn, "COPY terminated by new PQexec") <
          0)
        co_return start_outcome::fail;
    } else if (status == PGRES_COPY_OUT) {
      // libpq switches to BUSY and its parser drops the rows; reading them
      // to the end leaves the connection in the same state.
      char *row = nullptr;
      (void)co_await get_copy_data_async(conn, &row, true);
    } else if (status == PGRES_COPY_BOTH) {
      co_return start_outcome::plain_call;
    }
    if (PQstatus(conn) == CONNECTION_BAD)
      co_return start_outcome::fail;
  }
  co_return start_outcome::send;
}

// PQexec and its siblings: Op has conn, call() (the plain call) and send()
// (its PQsend* counterpart).
template <class Op> task<PGresult *> run_exec(Op op) {
  PGconn *const conn = op.conn;
  // What the plain call settles without any wait: no connection, a lost one
  // (no socket), pipeline mode (refused).
  if (!conn || PQstatus(conn) != CONNECTION_OK || PQsocket(conn) < 0 ||
      PQpipelineStatus(conn) != PQ_PIPELINE_OFF)
    co_return op.call();
  const start_outcome start = co_await exec_start(conn);
  if (start == start_outcome::plain_call)
    co_return op.call();
  if (start == start_outcome::fail)
    co_return nullptr;
  {
    const nonblocking_scope nonblocking(conn);
    if (!nonblocking.ok())
      co_return op.call();
    // As in PQexec, a query that could not be sent yields NULL, the reason
    // being in PQerrorMessage.
    if (!op.send() || co_await flush_out(conn) < 0)
      co_return nullptr;
  }
  // PQexecFinish: the last result, stopping at a COPY state (the caller
  // moves the data, then asks for the rest) or a lost connection.
  PGresult *last = nullptr;
  for (;;) {
    for (int fd; PQisBusy(conn) && (fd = PQsocket(conn)) >= 0;)
      if (co_await await_input(conn, fd) != input::read)
        break;
    PGresult *const result = PQgetResult(conn);
    if (!result)
      break;
    PQclear(last);
    last = result;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT ||
        status == PGRES_COPY_BOTH || PQstatus(conn) == CONNECTION_BAD)
      break;
  }
  co_return last;
}

// libpq's parse_int_param: an int, surrounding white space allowed.
inline bool parse_int(const char *value, int &result) noexcept {
  result = 0;
  char *end = nullptr;
  errno = 0;
  const long number = std::strtol(value, &end, 10);
  if (end == value || errno != 0 || number < INT_MIN || number > INT_MAX)
    return false;
  while (*end != '\0' && std::isspace(static_cast<unsigned char>(*end)))
    ++end;
  if (*end != '\0')
    return false;
  result = static_cast<int>(number);
  return true;
}

// connect_timeout as connectDBComplete reads it (from the conninfo, the
// environment or a service file, whichever set it): seconds, 0 for none, at
// least 2 when positive. false for a value libpq refuses.
inline bool connect_timeout(PGconn *conn, int &seconds) noexcept {
  seconds = 0;
  PQconninfoOption *const options = PQconninfo(conn);
  if (!options)
    return true;
  bool valid = true;
  for (const PQconninfoOption *o = options; o->keyword; ++o)
    if (o->val && std::strcmp(o->keyword, "connect_timeout") == 0) {
      valid = parse_int(o->val, seconds);
      break;
    }
  PQconninfoFree(options);
  if (seconds < 0)
    seconds = 0;
  else if (seconds == 1)
    seconds = 2; // libpq: rounding could make 1 s hardly any wait
  return valid;
}

// Which host and address libpq is trying: the timeout starts over when it
// changes, as connectDBComplete's does with whichhost and addr_cur.
inline unsigned long long attempt_key(PGconn *conn) noexcept {
  unsigned long long hash = 14695981039346656037ull; // FNV-1a
  const char *const parts[] = {PQhost(conn), PQport(conn), PQhostaddr(conn)};
  for (const char *s : parts) {
    for (; s && *s; ++s)
      hash = (hash ^ static_cast<unsigned char>(*s)) * 1099511628211ull;
    hash = (hash ^ 0x100u) * 1099511628211ull; // keeps "ab","c" from "a","bc"
  }
  return hash;
}

// PQconnectdb and PQconnectdbParams: Op has call() (the plain call) and
// start_connect() (PQconnectStart or PQconnectStartParams).
template <class Op> task<PGconn *> run_connect(Op op) {
  PGconn *const conn = op.start_connect();
  if (!conn || PQstatus(conn) == CONNECTION_BAD)
    co_return conn;
  int timeout = 0;
  if (!connect_timeout(conn, timeout)) {
    // PQconnectdb refuses the value before it waits for anything; the plain
    // call does so with libpq's own message.
    PQfinish(conn);
    co_return op.call();
  }
  constexpr long long second = 1'000'000'000;
  long long deadline = -1;
  unsigned long long attempt = 0;
  // As after PQconnectStart: wait until the socket is writable.
  PostgresPollingStatusType polled = PGRES_POLLING_WRITING;
  for (;;) {
    short events = 0;
    if (polled == PGRES_POLLING_READING)
      events = POLLIN;
    else if (polled == PGRES_POLLING_WRITING)
      events = POLLOUT;
    else
      co_return conn; // OK, or FAILED with CONNECTION_BAD and the message
    if (timeout > 0) {
      const unsigned long long now_trying = attempt_key(conn);
      if (deadline < 0 || now_trying != attempt) {
        deadline = ::vinyl::detail::monotonic_ns() + timeout * second;
        attempt = now_trying;
      }
    }
    const int fd = PQsocket(conn);
    if (fd >= 0) {
      long long left = -1;
      if (deadline >= 0) {
        left = deadline - ::vinyl::detail::monotonic_ns();
        if (left < 0)
          left = 0;
      }
      // Time is up for this address (or the poll failed): make the attempt
      // fail so that PQconnectPoll gives it up; see "Limits" above.
      if (co_await wait_for(fd, events, left) <= 0)
        ::shutdown(fd, SHUT_RDWR);
    }
    polled = PQconnectPoll(conn);
  }
}

// The sending calls only wait on a connection in blocking mode; on one the
// program made non-blocking they return at once, so they stay plain calls.
inline bool waits_to_send(PGconn *conn) noexcept {
  return conn && !PQisnonblocking(conn) && PQsocket(conn) >= 0;
}

} // namespace detail

// PGconn *PQconnectdb(const char *conninfo)
struct [[nodiscard]] connectdb_op : adapter<connectdb_op, PGconn *> {
  const char *conninfo;
  PGconn *call() const { return PQconnectdb(conninfo); }
  PGconn *start_connect() const { return PQconnectStart(conninfo); }
  task<PGconn *> start() const { return detail::run_connect(*this); }
};

// PGconn *PQconnectdbParams(keywords, values, expand_dbname)
struct [[nodiscard]] connectdb_params_op
    : adapter<connectdb_params_op, PGconn *> {
  const char *const *keywords;
  const char *const *values;
  int expand_dbname;
  PGconn *call() const {
    return PQconnectdbParams(keywords, values, expand_dbname);
  }
  PGconn *start_connect() const {
    return PQconnectStartParams(keywords, values, expand_dbname);
  }
  task<PGconn *> start() const { return detail::run_connect(*this); }
};

// PGresult *PQexec(conn, query)
struct [[nodiscard]] exec_op : adapter<exec_op, PGresult *> {
  PGconn *conn;
  const char *query;
  PGresult *call() const { return PQexec(conn, query); }
  int send() const { return PQsendQuery(conn, query); }
  task<PGresult *> start() const { return detail::run_exec(*this); }
};

// PGresult *PQexecParams(conn, command, nParams, paramTypes, paramValues,
//                        paramLengths, paramFormats, resultFormat)
struct [[nodiscard]] exec_params_op : adapter<exec_params_op, PGresult *> {
  PGconn *conn;
  const char *command;
  int n_params;
  const Oid *param_types;
  const char *const *param_values;
  const int *param_lengths;
  const int *param_formats;
  int result_format;
  PGresult *call() const {
    return PQexecParams(conn, command, n_params, param_types, param_values,
                        param_lengths, param_formats, result_format);
  }
  int send() const {
    return PQsendQueryParams(conn, command, n_params, param_types, param_values,
                             param_lengths, param_formats, result_format);
  }
  task<PGresult *> start() const { return detail::run_exec(*this); }
};

// PGresult *PQprepare(conn, stmtName, query, nParams, paramTypes)
struct [[nodiscard]] prepare_op : adapter<prepare_op, PGresult *> {
  PGconn *conn;
  const char *stmt_name;
  const char *query;
  int n_params;
  const Oid *param_types;
  PGresult *call() const {
    return PQprepare(conn, stmt_name, query, n_params, param_types);
  }
  int send() const {
    return PQsendPrepare(conn, stmt_name, query, n_params, param_types);
  }
  task<PGresult *> start() const { return detail::run_exec(*this); }
};

// PGresult *PQexecPrepared(conn, stmtName, nParams, paramValues,
//                          paramLengths, paramFormats, resultFormat)
struct [[nodiscard]] exec_prepared_op : adapter<exec_prepared_op, PGresult *> {
  PGconn *conn;
  const char *stmt_name;
  int n_params;
  const char *const *param_values;
  const int *param_lengths;
  const int *param_formats;
  int result_format;
  PGresult *call() const {
    return PQexecPrepared(conn, stmt_name, n_params, param_values,
                          param_lengths, param_formats, result_format);
  }
  int send() const {
    return PQsendQueryPrepared(conn, stmt_name, n_params, param_values,
                               param_lengths, param_formats, result_format);
  }
  task<PGresult *> start() const { return detail::run_exec(*this); }
};

// PGresult *PQgetResult(conn)
struct [[nodiscard]] get_result_op : adapter<get_result_op, PGresult *> {
  PGconn *conn;
  // Without a connection the plain call answers NULL at once.
  bool plain() const noexcept { return !::vinyl::detail::tls_loop || !conn; }
  PGresult *call() const { return PQgetResult(conn); }
  task<PGresult *> start() const { return detail::get_result_async(conn); }
};

// int PQputCopyData(conn, buffer, nbytes)
struct [[nodiscard]] put_copy_data_op : adapter<put_copy_data_op, int> {
  PGconn *conn;
  const char *buffer;
  int nbytes;
  bool plain() const noexcept {
    return !::vinyl::detail::tls_loop || !detail::waits_to_send(conn);
  }
  int call() const { return PQputCopyData(conn, buffer, nbytes); }
  task<int> start() const {
    return detail::put_copy_data_async(conn, buffer, nbytes);
  }
};

// int PQputCopyEnd(conn, errormsg)
struct [[nodiscard]] put_copy_end_op : adapter<put_copy_end_op, int> {
  PGconn *conn;
  const char *errormsg;
  bool plain() const noexcept {
    return !::vinyl::detail::tls_loop || !detail::waits_to_send(conn);
  }
  int call() const { return PQputCopyEnd(conn, errormsg); }
  task<int> start() const { return detail::put_copy_end_async(conn, errormsg); }
};

// int PQflush(conn)
struct [[nodiscard]] flush_op : adapter<flush_op, int> {
  PGconn *conn;
  bool plain() const noexcept {
    return !::vinyl::detail::tls_loop || !detail::waits_to_send(conn);
  }
  int call() const { return PQflush(conn); }
  task<int> start() const { return detail::flush_async(conn); }
};

// int PQgetCopyData(conn, buffer, async): with async != 0 it never waits.
struct [[nodiscard]] get_copy_data_op : adapter<get_copy_data_op, int> {
  PGconn *conn;
  char **buffer;
  int async;
  bool plain() const noexcept {
    return !::vinyl::detail::tls_loop || async != 0 || !conn;
  }
  int call() const { return PQgetCopyData(conn, buffer, async); }
  task<int> start() const { return detail::get_copy_data_async(conn, buffer); }
};

// int PQconsumeInput(conn): reads what has arrived and never waits, so it
// is the plain call in both modes.
struct [[nodiscard]] consume_input_op {
  PGconn *conn;
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const { return PQconsumeInput(conn); }
};

inline connectdb_op connectdb(const char *conninfo) noexcept {
  return {{}, conninfo};
}

inline connectdb_params_op connectdb_params(const char *const *keywords,
                                            const char *const *values,
                                            int expand_dbname) noexcept {
  return {{}, keywords, values, expand_dbname};
}

inline exec_op exec(PGconn *conn, const char *query) noexcept {
  return {{}, conn, query};
}

inline exec_params_op exec_params(PGconn *conn, const char *command,
                                  int n_params, const Oid *param_types,
                                  const char *const *param_values,
                                  const int *param_lengths,
                                  const int *param_formats,
                                  int result_format) noexcept {
  return {{},           conn,          command,       n_params,     param_types,
          param_values, param_lengths, param_formats, result_format};
}

inline prepare_op prepare(PGconn *conn, const char *stmt_name,
                          const char *query, int n_params,
                          const Oid *param_types) noexcept {
  return {{}, conn, stmt_name, query, n_params, param_types};
}

inline exec_prepared_op
exec_prepared(PGconn *conn, const char *stmt_name, int n_params,
              const char *const *param_values, const int *param_lengths,
              const int *param_formats, int result_format) noexcept {
  return {{},           conn,          stmt_name,     n_params,
          param_values, param_lengths, param_formats, result_format};
}

inline get_result_op get_result(PGconn *conn) noexcept { return {{}, conn}; }

inline put_copy_data_op put_copy_data(PGconn *conn, const char *buffer,
                                      int nbytes) noexcept {
  return {{}, conn, buffer, nbytes};
}

inline put_copy_end_op put_copy_end(PGconn *conn,
                                    const char *errormsg) noexcept {
  return {{}, conn, errormsg};
}

inline get_copy_data_op get_copy_data(PGconn *conn, char **buffer,
                                      int async) noexcept {
  return {{}, conn, buffer, async};
}

inline consume_input_op consume_input(PGconn *conn) noexcept { return {conn}; }

inline flush_op flush(PGconn *conn) noexcept { return {{}, conn}; }

} // namespace vinyl::pq
