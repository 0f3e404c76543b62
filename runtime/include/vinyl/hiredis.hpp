// vinyl::redis: awaitable replacements for hiredis's blocking calls.
//
// `co_await vinyl::redis::command(c, "GET %s", key)` takes redisCommand's
// arguments and yields what redisCommand would: the same reply, or NULL
// with the same c->err and c->errstr. Each function is named after the
// call it replaces (command for redisCommand, get_reply for redisGetReply,
// connect_with_timeout for redisConnectWithTimeout, ...).
//
// Blocking mode (no event loop on this thread): the awaitable is ready at
// once and makes the hiredis call itself in await_resume, with no coroutine
// frame and no allocation.
//
// Async mode: on a blocking context (the kind redisConnect makes), the
// calls that would wait run hiredis's own steps with waits on the socket's
// readiness instead:
//
// - command, command_argv: redisAppendCommand(Argv), then as get_reply.
// - get_reply: what redisGetReply does. A reply already read is taken
//   without waiting; otherwise the output buffer is written out
//   (redisBufferWrite whenever the socket has room), then input is read
//   (redisBufferRead whenever it is readable) until the reader has a reply.
// - buffer_write: redisBufferWrite until the buffer is out, as the blocking
//   write does; buffer_read: one redisBufferRead once there is input.
//
// For the time of the call the socket is made non-blocking and, around each
// read or write made after a readiness wait, REDIS_BLOCK is cleared so that
// a spurious EAGAIN means "again" to hiredis; both are put back after. The
// context's socket timeouts (redisConnectWithTimeout, redisSetTimeout: the
// socket's SO_RCVTIMEO and SO_SNDTIMEO) bound each wait as they bound each
// blocking read and write. When one runs out, the read or write is made
// with REDIS_BLOCK set, so hiredis meets EAGAIN as a blocking context does
// and records the same error ("Resource temporarily unavailable"). A server
// that goes away ends the wait on the hang-up, and hiredis's own read then
// reports it ("Server closed the connection"). Errors are thus made by the
// same hiredis code in both modes, with the same c->err and c->errstr.
//
// On a non-blocking context (redisConnectNonBlock), or one that already
// failed (c->err), the calls never wait and are the plain calls.
//
// The connects (redisConnect, redisConnectWithTimeout, redisConnectUnix,
// redisConnectUnixWithTimeout, redisReconnect) run on vinyl::offload's
// workers in async mode: hiredis resolves the host name itself with
// getaddrinfo, which has no non-blocking form. The worker makes the same
// call, so the context, its flags and its timeouts are those blocking mode
// makes. A connect that waits out a long timeout holds one worker
// (VINYL_OFFLOAD_THREADS, 8 by default) for that time.
//
// Not leaves: redisAppendCommand* only add to the output buffer, and
// redisvCommand/redisvAppendCommand take a va_list, which only a variadic
// function has, and such a function cannot be a coroutine.
#pragma once

#include <vinyl/adapter.hpp>
#include <vinyl/event_loop.hpp>
#include <vinyl/io.hpp>
#include <vinyl/offload.hpp>
#include <vinyl/task.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace vinyl::redis {
namespace detail {

// Whether a call on c may wait at all: only a blocking context with a
// socket and no error yet does. On the others hiredis answers at once.
inline bool may_wait(const redisContext *c) noexcept {
  return c != nullptr && (c->flags & REDIS_BLOCK) && c->err == 0 && c->fd >= 0;
}

inline bool plain(const redisContext *c) noexcept {
  return !::vinyl::detail::tls_loop || !may_wait(c);
}

// A read or write after a wait. ready: the socket was reported ready, and
// the call is made with REDIS_BLOCK cleared so that a spurious EAGAIN is
// "try again" to hiredis. Otherwise the wait timed out (or failed), and the
// call is made as the blocking context makes it: EAGAIN is then the
// timeout's error, recorded by hiredis as in blocking mode.
template <class Call>
int after_wait(redisContext *c, bool ready, const Call &call) {
  if (!ready)
    return call();
  c->flags &= ~REDIS_BLOCK;
  const int r = call();
  c->flags |= REDIS_BLOCK;
  return r;
}

inline io::wait_op wait_for(int fd, short events, int timeout_option) noexcept {
  return {{}, pollfd{fd, events, 0}, socket_timeout_ns(fd, timeout_option)};
}

// Writes the output buffer out: REDIS_OK or REDIS_ERR with c->err set.
// Called on a non-blocking socket.
inline task<int> write_all(redisContext *c) {
  bool ready = true;
  for (;;) {
    int done = 0;
    if (after_wait(c, ready, [&] { return redisBufferWrite(c, &done); }) ==
        REDIS_ERR)
      co_return REDIS_ERR;
    if (done)
      co_return REDIS_OK;
    ready = co_await wait_for(c->fd, POLLOUT, SO_SNDTIMEO) > 0;
  }
}

// What each caller makes of redisGetReply's outcome.
enum class shape { get_reply, command };

// redisGetReply's steps without blocking the loop. shape::get_reply yields
// REDIS_OK/REDIS_ERR and stores the reply as redisGetReply does;
// shape::command yields the reply, NULL on error, as redisCommand does.
template <shape S>
task<std::conditional_t<S == shape::command, void *, int>>
get_reply_async(redisContext *c, void **reply) {
  constexpr bool command = S == shape::command;
  void *aux = nullptr;
  if (redisGetReplyFromReader(c, &aux) == REDIS_ERR) {
    if constexpr (command)
      co_return nullptr;
    else
      co_return REDIS_ERR;
  }
  if (aux == nullptr) {
    const nonblocking_fd nonblocking(c->fd);
    bool failed = co_await write_all(c) == REDIS_ERR;
    while (!failed && aux == nullptr) {
      const bool ready =
          co_await wait_for(c->fd, POLLIN | POLLRDHUP, SO_RCVTIMEO) > 0;
      failed = after_wait(c, ready, [&] { return redisBufferRead(c); }) ==
                   REDIS_ERR ||
               redisGetReplyFromReader(c, &aux) == REDIS_ERR;
    }
    if (failed) {
      if constexpr (command)
        co_return nullptr;
      else
        co_return REDIS_ERR;
    }
  }
  if constexpr (command) {
    co_return aux;
  } else {
    if (reply != nullptr)
      *reply = aux;
    else
      freeReplyObject(aux);
    co_return REDIS_OK;
  }
}

inline task<int> buffer_write_async(redisContext *c, int *done) {
  const nonblocking_fd nonblocking(c->fd);
  const int r = co_await write_all(c);
  if (r == REDIS_OK && done != nullptr)
    *done = 1;
  co_return r;
}

inline task<int> buffer_read_async(redisContext *c) {
  const bool ready =
      co_await wait_for(c->fd, POLLIN | POLLRDHUP, SO_RCVTIMEO) > 0;
  // A blocking socket: once readable, the read does not wait.
  co_return after_wait(c, ready, [&] { return redisBufferRead(c); });
}

} // namespace detail

// void *redisCommand(c, format, ...)
template <class... Args>
class [[nodiscard]] command_op : public adapter<command_op<Args...>, void *> {
public:
  command_op(redisContext *c, const char *format, Args... args) noexcept
      : c_(c), format_(format), args_(args...) {}
  bool plain() const noexcept { return detail::plain(c_); }
  void *call() const {
    return std::apply(
        [this](Args... args) { return redisCommand(c_, format_, args...); },
        args_);
  }
  task<void *> start() const {
    const int appended = std::apply(
        [this](Args... args) {
          return redisAppendCommand(c_, format_, args...);
        },
        args_);
    if (appended != REDIS_OK)
      return nothing();
    return detail::get_reply_async<detail::shape::command>(c_, nullptr);
  }

private:
  // redisCommand's answer when the command could not be formatted.
  static task<void *> nothing() { co_return nullptr; }

  redisContext *c_;
  const char *format_;
  std::tuple<Args...> args_;
};

// void *redisCommandArgv(c, argc, argv, argvlen)
struct [[nodiscard]] command_argv_op : adapter<command_argv_op, void *> {
  redisContext *c;
  int argc;
  const char **argv;
  const std::size_t *argvlen;
  bool plain() const noexcept { return detail::plain(c); }
  void *call() const { return redisCommandArgv(c, argc, argv, argvlen); }
  task<void *> start() const {
    if (redisAppendCommandArgv(c, argc, argv, argvlen) != REDIS_OK)
      return nothing();
    return detail::get_reply_async<detail::shape::command>(c, nullptr);
  }

private:
  static task<void *> nothing() { co_return nullptr; }
};

// int redisGetReply(c, reply)
struct [[nodiscard]] get_reply_op : adapter<get_reply_op, int> {
  redisContext *c;
  void **reply;
  bool plain() const noexcept { return detail::plain(c); }
  int call() const { return redisGetReply(c, reply); }
  task<int> start() const {
    return detail::get_reply_async<detail::shape::get_reply>(c, reply);
  }
};

// int redisBufferWrite(c, done)
struct [[nodiscard]] buffer_write_op : adapter<buffer_write_op, int> {
  redisContext *c;
  int *done;
  bool plain() const noexcept { return detail::plain(c); }
  int call() const { return redisBufferWrite(c, done); }
  task<int> start() const { return detail::buffer_write_async(c, done); }
};

// int redisBufferRead(c)
struct [[nodiscard]] buffer_read_op : adapter<buffer_read_op, int> {
  redisContext *c;
  bool plain() const noexcept { return detail::plain(c); }
  int call() const { return redisBufferRead(c); }
  task<int> start() const { return detail::buffer_read_async(c); }
};

// Arguments are kept as redisCommand would receive them through `...`:
// arrays and functions decay, the rest is copied.
template <class... Args>
command_op<std::decay_t<Args>...> command(redisContext *c, const char *format,
                                          Args &&...args) noexcept {
  return {c, format, std::forward<Args>(args)...};
}

inline command_argv_op command_argv(redisContext *c, int argc,
                                    const char **argv,
                                    const std::size_t *argvlen) noexcept {
  return {{}, c, argc, argv, argvlen};
}

inline get_reply_op get_reply(redisContext *c, void **reply) noexcept {
  return {{}, c, reply};
}

inline buffer_write_op buffer_write(redisContext *c, int *done) noexcept {
  return {{}, c, done};
}

inline buffer_read_op buffer_read(redisContext *c) noexcept { return {{}, c}; }

// The connects: offloaded in async mode (see the top of this file).
inline auto connect(const char *ip, int port) {
  return ::vinyl::offload(::redisConnect, ip, port);
}

inline auto connect_with_timeout(const char *ip, int port, timeval tv) {
  return ::vinyl::offload(::redisConnectWithTimeout, ip, port, tv);
}

inline auto connect_unix(const char *path) {
  return ::vinyl::offload(::redisConnectUnix, path);
}

inline auto connect_unix_with_timeout(const char *path, timeval tv) {
  return ::vinyl::offload(::redisConnectUnixWithTimeout, path, tv);
}

inline auto reconnect(redisContext *c) {
  return ::vinyl::offload(::redisReconnect, c);
}

} // namespace vinyl::redis
