// securechat::Client: the TCP connection (resolving the host, trying each
// address), the TLS handshake with certificate checks, the login, and the
// request/reply calls over frames.
#include "securechat/chat.h"

#include "tls_stream.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include <netdb.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace securechat {
namespace {

struct FreeAddrinfo {
  void operator()(addrinfo *list) const { freeaddrinfo(list); }
};

// A connected blocking socket to host:port: each address getaddrinfo gives
// is tried in turn; the last one's error is thrown.
int connect_tcp(const std::string &host, std::uint16_t port,
                const std::string &where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo *found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0)
    throw Error(Error::Kind::Network,
                "resolve " + host + ": " + gai_strerror(rc));
  const std::unique_ptr<addrinfo, FreeAddrinfo> addresses(found);
  int last_errno = 0;
  for (const addrinfo *a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
                            a->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0)
      return fd;
    last_errno = errno;
    ::close(fd);
  }
  throw Error(Error::Kind::Network,
              "connect to " + where + ": " + std::strerror(last_errno), 0,
              last_errno);
}

// A client context trusting options.ca_file (or the system's store) and
// refusing servers whose certificate does not check out.
SSL_CTX *client_context(const ClientOptions &options) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr)
    throw Error(Error::Kind::Tls,
                "TLS client context: " + reason_text(take_ssl_error()));
  const int loaded =
      options.ca_file.empty()
          ? SSL_CTX_set_default_verify_paths(ctx)
          : SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(),
                                          nullptr);
  if (loaded != 1) {
    const std::string reason = reason_text(take_ssl_error());
    SSL_CTX_free(ctx);
    throw Error(Error::Kind::Tls, "load " + options.ca_file + ": " + reason);
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  return ctx;
}

} // namespace

Client::Client(SSL_CTX *ctx, int fd, std::unique_ptr<TlsStream> stream)
    : ctx_(ctx), fd_(fd), stream_(std::move(stream)) {}

Client::Client(Client &&other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)),
      fd_(std::exchange(other.fd_, -1)), stream_(std::move(other.stream_)),
      broken_(other.broken_) {}

Client &Client::operator=(Client &&other) noexcept {
  if (this != &other) {
    const Client old(std::move(*this)); // freed at the end of the block
    ctx_ = std::exchange(other.ctx_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
    stream_ = std::move(other.stream_);
    broken_ = other.broken_;
  }
  return *this;
}

Client::~Client() {
  stream_.reset();
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  SSL_CTX_free(ctx_);
  ctx_ = nullptr;
}

Client Client::connect(const ClientOptions &options, const std::string &user) {
  const std::string where = options.host + ":" + std::to_string(options.port);
  SSL_CTX *ctx = client_context(options);
  int fd = -1;
  try {
    fd = connect_tcp(options.host, options.port, where);
    set_timeouts(fd, options.timeout);
  } catch (...) {
    SSL_CTX_free(ctx);
    throw;
  }
  // From here the client owns the context and the socket, whatever fails.
  Client client(ctx, fd, nullptr);
  client.stream_ = std::make_unique<TlsStream>(ctx, fd, where,
                                               options.max_frame,
                                               options.timeout);
  client.stream_->connect(options.server_name);
  client.call("HELLO " + user);
  return client;
}

TlsStream &Client::stream() {
  if (stream_ == nullptr)
    throw Error(Error::Kind::Closed, "the connection is closed");
  if (broken_)
    throw Error(Error::Kind::Closed,
                "the connection to " + stream_->peer() +
                    " was broken by an earlier error");
  return *stream_;
}

// One request, its first reply frame; an ERR reply is thrown as Refused.
std::string Client::call(const std::string &request) {
  TlsStream &s = stream();
  try {
    s.write_frame(request);
    std::optional<std::string> reply = s.read_frame();
    if (!reply)
      throw Error(Error::Kind::Closed,
                  "read from " + s.peer() + ": the server ended the session");
    if (reply->rfind("ERR ", 0) == 0)
      throw Error(Error::Kind::Refused,
                  request.substr(0, request.find(' ')) + " refused: " +
                      reply->substr(4));
    return *reply;
  } catch (const Error &e) {
    // A refusal is a whole reply; anything else leaves the connection in
    // an unknown state.
    if (e.kind() != Error::Kind::Refused)
      broken_ = true;
    throw;
  }
}

void Client::send(const std::string &to, const std::string &text) {
  call("SEND " + to + " " + text);
}

std::vector<Message> Client::fetch() {
  const std::string head = call("FETCH");
  if (head.rfind("OK ", 0) != 0) {
    broken_ = true;
    throw Error(Error::Kind::Protocol, "FETCH: unexpected reply " + head);
  }
  const std::size_t count = std::stoul(head.substr(3));
  std::vector<Message> messages;
  messages.reserve(count);
  TlsStream &s = stream();
  try {
    for (std::size_t i = 0; i < count; ++i) {
      std::optional<std::string> frame = s.read_frame();
      if (!frame)
        throw Error(Error::Kind::Closed,
                    "read from " + s.peer() + ": the server ended the session");
      const std::size_t space = frame->find(' ');
      if (space == std::string::npos)
        throw Error(Error::Kind::Protocol,
                    "FETCH: a message without a sender from " + s.peer());
      messages.push_back({frame->substr(0, space), frame->substr(space + 1)});
    }
  } catch (const Error &) {
    broken_ = true;
    throw;
  }
  return messages;
}

void Client::ping() {
  const std::string reply = call("PING");
  if (reply != "PONG")
    throw Error(Error::Kind::Protocol, "PING: unexpected reply " + reply);
}

void Client::close() {
  TlsStream &s = stream();
  try {
    s.close(true);
  } catch (const Error &) {
    broken_ = true;
    throw;
  }
  stream_.reset();
}

} // namespace securechat
