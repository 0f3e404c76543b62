// securechat::TlsStream: frames over OpenSSL, and OpenSSL's failures
// turned into securechat::Error with the same kinds and texts wherever
// they happen (handshake, read, write, close).
#include "tls_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <openssl/err.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace securechat {
namespace {

constexpr std::size_t kHeader = 4;

std::uint32_t decode_length(const unsigned char *p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
         std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}

} // namespace

void set_timeouts(int fd, std::chrono::milliseconds timeout) {
  // Replies go out as several small records: no waiting for the peer's
  // delayed ACK in between.
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
    throw Error(Error::Kind::Network,
                std::string("setsockopt: ") + std::strerror(errno), 0, errno);
}

unsigned long take_ssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  return code;
}

std::string reason_text(unsigned long code) {
  const char *reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "error " + std::to_string(code);
}

TlsStream::TlsStream(SSL_CTX *ctx, int fd, std::string peer,
                     std::size_t max_frame, std::chrono::milliseconds timeout)
    : ssl_(SSL_new(ctx)), peer_(std::move(peer)), max_frame_(max_frame),
      timeout_(timeout) {
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd) != 1) {
    const std::string reason = reason_text(take_ssl_error());
    SSL_free(ssl_);
    throw Error(Error::Kind::Tls, "TLS setup for " + peer_ + ": " + reason);
  }
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

void TlsStream::fail(int ret, int sys_errno, const std::string &during) {
  const int error = SSL_get_error(ssl_, ret);
  const unsigned long code = take_ssl_error();
  const std::string what = during + " " + peer_ + ": ";
  switch (error) {
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE:
    // On a blocking socket OpenSSL only wants more when SO_RCVTIMEO or
    // SO_SNDTIMEO ran out.
    throw Error(Error::Kind::Timeout,
                what + "timed out after " + std::to_string(timeout_.count()) +
                    " ms",
                error, sys_errno);
  case SSL_ERROR_ZERO_RETURN:
    throw Error(Error::Kind::Closed, what + "the peer sent close_notify",
                error);
  case SSL_ERROR_SYSCALL:
    throw Error(Error::Kind::Network,
                what + (sys_errno != 0 ? std::strerror(sys_errno)
                                       : "the connection was closed"),
                error, sys_errno);
  default:
    break;
  }
  if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
    throw Error(Error::Kind::Closed, what + reason_text(code), error,
                sys_errno);
  std::string reason = code != 0 ? reason_text(code) : "TLS failure";
  // A refused certificate: say why it was refused.
  const long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK)
    reason += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
  throw Error(Error::Kind::Tls, what + reason, error, sys_errno);
}

void TlsStream::connect(const std::string &host) {
  // Checked against the certificate during the handshake, and sent as SNI.
  if (SSL_set1_host(ssl_, host.c_str()) != 1 ||
      SSL_set_tlsext_host_name(ssl_, host.c_str()) != 1)
    throw Error(Error::Kind::Tls, "TLS setup for " + peer_ + ": " +
                                      reason_text(take_ssl_error()));
  const int ret = SSL_connect(ssl_);
  if (ret != 1)
    fail(ret, errno, "TLS handshake with");
}

void TlsStream::accept() {
  const int ret = SSL_accept(ssl_);
  if (ret != 1)
    fail(ret, errno, "TLS handshake with");
}

void TlsStream::write_frame(std::string_view payload) {
  if (payload.size() > max_frame_)
    throw Error(Error::Kind::Protocol,
                "a frame of " + std::to_string(payload.size()) +
                    " bytes exceeds the limit of " +
                    std::to_string(max_frame_));
  // Header and payload in one record where they fit.
  std::string frame(kHeader, '\0');
  const auto size = static_cast<std::uint32_t>(payload.size());
  for (std::size_t i = 0; i < kHeader; ++i)
    frame[i] = static_cast<char>(size >> (8 * (kHeader - 1 - i)) & 0xff);
  frame.append(payload);
  // Without SSL_MODE_ENABLE_PARTIAL_WRITE a successful SSL_write wrote it
  // all.
  const int ret = SSL_write(ssl_, frame.data(), static_cast<int>(frame.size()));
  if (ret <= 0)
    fail(ret, errno, "write to");
}

std::size_t TlsStream::read_exact(char *out, std::size_t n,
                                  std::string &ended) {
  std::size_t got = 0;
  while (got < n) {
    const int want = static_cast<int>(std::min<std::size_t>(n - got, 1 << 20));
    const int ret = SSL_read(ssl_, out + got, want);
    const int sys_errno = errno;
    if (ret > 0) {
      got += static_cast<std::size_t>(ret);
      continue;
    }
    const int error = SSL_get_error(ssl_, ret);
    if (error == SSL_ERROR_ZERO_RETURN) {
      ended = "close_notify";
      return got;
    }
    if (error == SSL_ERROR_SSL &&
        ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
      ended = reason_text(take_ssl_error());
      return got;
    }
    fail(ret, sys_errno, "read from");
  }
  return got;
}

std::optional<std::string> TlsStream::read_frame() {
  unsigned char header[kHeader];
  std::string ended;
  const std::size_t got =
      read_exact(reinterpret_cast<char *>(header), kHeader, ended);
  if (got == 0 && !ended.empty())
    return std::nullopt;
  if (got < kHeader)
    throw Error(Error::Kind::Closed,
                "read from " + peer_ + ": the connection ended after " +
                    std::to_string(got) + " of " + std::to_string(kHeader) +
                    " header bytes (" + ended + ")");
  const std::uint32_t size = decode_length(header);
  if (size > max_frame_)
    throw Error(Error::Kind::Protocol,
                "read from " + peer_ + ": a frame of " + std::to_string(size) +
                    " bytes exceeds the limit of " +
                    std::to_string(max_frame_));
  std::string payload(size, '\0');
  const std::size_t body = read_exact(payload.data(), size, ended);
  if (body < size)
    throw Error(Error::Kind::Closed,
                "read from " + peer_ + ": the connection ended after " +
                    std::to_string(body) + " of " + std::to_string(size) +
                    " bytes (" + ended + ")");
  return payload;
}

void TlsStream::close(bool wait_for_peer) {
  int ret = SSL_shutdown(ssl_);
  if (ret == 0 && wait_for_peer)
    ret = SSL_shutdown(ssl_);
  if (ret < 0)
    fail(ret, errno, "close of");
}

} // namespace securechat
