// vinyl::ssl: awaitable replacements for OpenSSL's TLS I/O calls.
//
// `co_await vinyl::ssl::read(ssl, buf, num)` takes SSL_read's arguments and
// yields what SSL_read would, and leaves the SSL object, OpenSSL's error
// queue and errno as SSL_read leaves them, so that the caller's
// `SSL_get_error(ssl, ret)` right after the await gives what it gives after
// the plain call. Each function is named after the call it replaces: read,
// write, read_ex, write_ex, peek, peek_ex, connect, accept, do_handshake,
// shutdown.
//
// Blocking mode (no event loop on this thread): the awaitable is ready at
// once and makes the OpenSSL call itself in await_resume, with no coroutine
// frame and no allocation.
//
// Async mode: on an SSL whose BIOs are blocking sockets (SSL_set_fd on a
// socket in blocking mode, the usual client and server), the sockets are
// made non-blocking for the time of the call and put back after. The call
// is made; where the blocking call would have waited in recv or send (the
// call fails, SSL_want_read or SSL_want_write, and the socket said EAGAIN)
// the awaitable waits until the socket is readable or writable and makes
// the same call again with the same arguments, as OpenSSL requires of a
// retried call. A call that had something to do (a record decoded, an
// alert, an unexpected EOF, a TLS error) returns at once with OpenSSL's
// own result, so errors are made by the same OpenSSL code in both modes.
//
// Timeouts: the socket's SO_RCVTIMEO bounds each wait for input and
// SO_SNDTIMEO each wait for room, as they bound each recv and send of the
// blocking call. When one runs out, the call is made once more, still on
// the non-blocking socket: OpenSSL then meets EAGAIN as the blocking call
// meets it when its timeout expires, and gives the same result: -1 (0 for
// the _ex calls), SSL_get_error SSL_ERROR_WANT_READ or _WANT_WRITE, errno
// EAGAIN. A peer that closes the connection ends the wait (the socket
// reads end of file), and OpenSSL's own read then reports it.
//
// Plain calls in async mode too: an SSL without a descriptor (memory BIOs,
// BIO pairs: SSL_get_rfd or SSL_get_wfd is -1), and one whose socket is
// already non-blocking (the caller handles SSL_ERROR_WANT_* itself then).
//
// The error queue is OpenSSL's, per thread. The awaitable neither reads
// nor clears it and a retried call adds nothing to it (a WANT_READ or
// WANT_WRITE pushes no error). As OpenSSL asks of any program, it should be
// empty when a TLS call starts; in async mode, other tasks of the thread
// run while one waits, and an error one of them leaves in the queue is seen
// by the next SSL_get_error on the thread, as in a single-threaded program
// that interleaves its connections by hand.
//
// Not leaves: SSL_get_error, SSL_pending, SSL_has_pending and the other
// calls that only look at the SSL object or its buffers never wait, and
// SSL_write_ex2, SSL_sendfile and the early-data calls are left out.
#pragma once

#include <vinyl/adapter.hpp>
#include <vinyl/event_loop.hpp>
#include <vinyl/io.hpp>
#include <vinyl/task.hpp>

#include <cerrno>
#include <cstddef>

#include <fcntl.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace vinyl::ssl {
namespace detail {

// Whether fd is a descriptor in blocking mode, the only kind a call waits
// on inside OpenSSL.
inline bool blocking_fd(int fd) noexcept {
  if (fd < 0)
    return false;
  const int flags = ::fcntl(fd, F_GETFL);
  return flags != -1 && !(flags & O_NONBLOCK);
}

// Whether a call on ssl may wait at all: only one on blocking sockets does.
inline bool may_wait(const SSL *ssl) noexcept {
  if (ssl == nullptr)
    return false;
  const int rfd = SSL_get_rfd(ssl);
  const int wfd = SSL_get_wfd(ssl);
  return blocking_fd(rfd) && (wfd == rfd || blocking_fd(wfd));
}

inline bool plain(const SSL *ssl) noexcept {
  return !::vinyl::detail::tls_loop || !may_wait(ssl);
}

// What a failed call waits for before it is made again.
enum class blocked_on { nothing, input, room };

// Where the blocking call would have waited: the call failed on the
// socket's EAGAIN while OpenSSL wanted to read or to write. A WANT_READ
// with no EAGAIN behind it (a non-application record read with
// SSL_MODE_AUTO_RETRY off) is a result the blocking call returns too.
inline blocked_on blocked(const SSL *ssl, int ret, int error) noexcept {
  if (ret > 0 || (error != EAGAIN && error != EWOULDBLOCK))
    return blocked_on::nothing;
  if (SSL_want_read(ssl))
    return blocked_on::input;
  if (SSL_want_write(ssl))
    return blocked_on::room;
  return blocked_on::nothing;
}

// The call made until it no longer meets EAGAIN, waiting for the socket in
// between; its last result is returned with nothing called on ssl after
// it. errno is cleared before each attempt, as OpenSSL clears it before
// each read and write, so that an EAGAIN seen is this attempt's.
template <class Call> task<int> drive(SSL *ssl, Call call) {
  const int rfd = SSL_get_rfd(ssl);
  const int wfd = SSL_get_wfd(ssl);
  const nonblocking_fd nonblocking_read(rfd);
  const nonblocking_fd nonblocking_write(wfd == rfd ? -1 : wfd);
  for (;;) {
    errno = 0;
    const int ret = call();
    const blocked_on what = blocked(ssl, ret, errno);
    if (what == blocked_on::nothing)
      co_return ret;
    const bool input = what == blocked_on::input;
    const int fd = input ? rfd : wfd;
    const short events = input ? short{POLLIN | POLLRDHUP} : short{POLLOUT};
    const long long timeout =
        socket_timeout_ns(fd, input ? SO_RCVTIMEO : SO_SNDTIMEO);
    if (co_await io::wait_op{{}, pollfd{fd, events, 0}, timeout} <= 0) {
      // The timeout ran out (or the wait failed): the blocking call's recv
      // or send would have returned EAGAIN now, and OpenSSL meets it here.
      errno = 0;
      co_return call();
    }
  }
}

// The awaitable of one call: Call is a function object making it.
template <class Call>
class [[nodiscard]] call_op : public adapter<call_op<Call>, int> {
public:
  call_op(SSL *ssl, Call fn) noexcept : ssl_(ssl), call_(fn) {}
  bool plain() const noexcept { return detail::plain(ssl_); }
  int call() const { return call_(); }
  task<int> start() const { return detail::drive(ssl_, call_); }

private:
  SSL *ssl_;
  Call call_;
};

template <class Call> call_op<Call> make_op(SSL *ssl, Call fn) noexcept {
  return {ssl, fn};
}

} // namespace detail

// int SSL_read(ssl, buf, num)
inline auto read(SSL *ssl, void *buf, int num) noexcept {
  return detail::make_op(ssl, [=] { return SSL_read(ssl, buf, num); });
}

// int SSL_read_ex(ssl, buf, num, readbytes)
inline auto read_ex(SSL *ssl, void *buf, std::size_t num,
                    std::size_t *readbytes) noexcept {
  return detail::make_op(ssl,
                         [=] { return SSL_read_ex(ssl, buf, num, readbytes); });
}

// int SSL_peek(ssl, buf, num)
inline auto peek(SSL *ssl, void *buf, int num) noexcept {
  return detail::make_op(ssl, [=] { return SSL_peek(ssl, buf, num); });
}

// int SSL_peek_ex(ssl, buf, num, readbytes)
inline auto peek_ex(SSL *ssl, void *buf, std::size_t num,
                    std::size_t *readbytes) noexcept {
  return detail::make_op(ssl,
                         [=] { return SSL_peek_ex(ssl, buf, num, readbytes); });
}

// int SSL_write(ssl, buf, num): the same buf and num on every attempt, as
// OpenSSL requires of a retried write.
inline auto write(SSL *ssl, const void *buf, int num) noexcept {
  return detail::make_op(ssl, [=] { return SSL_write(ssl, buf, num); });
}

// int SSL_write_ex(ssl, buf, num, written)
inline auto write_ex(SSL *ssl, const void *buf, std::size_t num,
                     std::size_t *written) noexcept {
  return detail::make_op(ssl,
                         [=] { return SSL_write_ex(ssl, buf, num, written); });
}

// int SSL_connect(ssl)
inline auto connect(SSL *ssl) noexcept {
  return detail::make_op(ssl, [=] { return SSL_connect(ssl); });
}

// int SSL_accept(ssl)
inline auto accept(SSL *ssl) noexcept {
  return detail::make_op(ssl, [=] { return SSL_accept(ssl); });
}

// int SSL_do_handshake(ssl)
inline auto do_handshake(SSL *ssl) noexcept {
  return detail::make_op(ssl, [=] { return SSL_do_handshake(ssl); });
}

// int SSL_shutdown(ssl): 0 once close_notify is sent, 1 once the peer's
// has come back too, as the plain call.
inline auto shutdown(SSL *ssl) noexcept {
  return detail::make_op(ssl, [=] { return SSL_shutdown(ssl); });
}

} // namespace vinyl::ssl
