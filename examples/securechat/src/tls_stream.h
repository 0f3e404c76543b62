// securechat::TlsStream: the frames of the protocol over one TLS
// connection (an SSL on a connected blocking socket), shared by the client
// and the server, and the one place where OpenSSL's failures become
// securechat::Error. Not part of the public API.
#pragma once

#include "securechat/chat.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

namespace securechat {

// Sets SO_RCVTIMEO and SO_SNDTIMEO on fd (zero: wait forever), and
// TCP_NODELAY.
void set_timeouts(int fd, std::chrono::milliseconds timeout);

// The oldest error in this thread's OpenSSL queue (0 if none); empties
// the queue, which must be empty before the thread's next TLS call.
unsigned long take_ssl_error();

// OpenSSL's text for an error code's reason ("wrong version number").
std::string reason_text(unsigned long code);

class TlsStream {
public:
  // An SSL of ctx on fd, which stays the caller's to close. peer names the
  // other end in error messages; timeout is only for them (the socket has
  // it already).
  TlsStream(SSL_CTX *ctx, int fd, std::string peer, std::size_t max_frame,
            std::chrono::milliseconds timeout);
  ~TlsStream();
  TlsStream(const TlsStream &) = delete;
  TlsStream &operator=(const TlsStream &) = delete;

  SSL *ssl() const noexcept { return ssl_; }
  const std::string &peer() const noexcept { return peer_; }

  // The client's handshake, checking that the certificate names host.
  void connect(const std::string &host);
  // The server's handshake.
  void accept();

  void write_frame(std::string_view payload);
  // The next frame; nothing if the peer ended the connection before its
  // first byte (close_notify, or the socket closed).
  std::optional<std::string> read_frame();

  // Sends close_notify; with wait_for_peer, also reads until the peer's.
  void close(bool wait_for_peer);

private:
  // Reads exactly n bytes into out and returns n, or fewer if the peer
  // ended the connection first, then saying how in ended ("close_notify",
  // or OpenSSL's "unexpected eof while reading"); throws on anything else.
  // Whether an end is clean depends on where it falls: the caller decides.
  std::size_t read_exact(char *out, std::size_t n, std::string &ended);
  // Throws the Error for a TLS call on this stream that returned ret,
  // with errno sys_errno right after it.
  [[noreturn]] void fail(int ret, int sys_errno, const std::string &during);

  SSL *ssl_;
  std::string peer_;
  std::size_t max_frame_;
  std::chrono::milliseconds timeout_;
};

} // namespace securechat
