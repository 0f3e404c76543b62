// securechat::Server: listening, a thread per connection, the handshake
// and the requests of each connection, the inboxes, and stopping.
#include "securechat/chat.h"

#include "tls_stream.h"

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace securechat {
namespace {

constexpr std::size_t kMaxUser = 32;

bool valid_user(const std::string &user) {
  if (user.empty() || user.size() > kMaxUser)
    return false;
  for (const char c : user)
    if (c <= ' ' || c > '~')
      return false;
  return true;
}

std::string describe(const sockaddr_in &addr) {
  char host[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(addr.sin_port));
}

// The Error for a socket call that just failed.
Error errno_error(const std::string &during) {
  const int e = errno;
  return Error(Error::Kind::Network, during + ": " + std::strerror(e), 0, e);
}

SSL_CTX *server_context(const ServerOptions &options) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr)
    throw Error(Error::Kind::Tls,
                "TLS server context: " + reason_text(take_ssl_error()));
  if (SSL_CTX_use_certificate_chain_file(ctx, options.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, options.key_file.c_str(),
                                  SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    const std::string reason = reason_text(take_ssl_error());
    SSL_CTX_free(ctx);
    throw Error(Error::Kind::Tls, "load " + options.cert_file + " and " +
                                      options.key_file + ": " + reason);
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  return ctx;
}

} // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)), ctx_(server_context(options_)) {
  try {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(options_.port);
    if (::inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr) != 1)
      throw Error(Error::Kind::Network,
                  "listen on " + options_.host + ": not an IPv4 address");
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0)
      throw errno_error("socket");
    const int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(listener_, reinterpret_cast<const sockaddr *>(&addr),
               sizeof addr) != 0)
      throw errno_error("bind " + options_.host + ":" +
                        std::to_string(options_.port));
    if (::listen(listener_, SOMAXCONN) != 0)
      throw errno_error("listen");
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  } catch (...) {
    if (listener_ >= 0)
      ::close(listener_);
    SSL_CTX_free(ctx_);
    throw;
  }
}

Server::~Server() {
  ::close(listener_);
  SSL_CTX_free(ctx_);
}

void Server::serve() {
  std::vector<std::thread> connections;
  for (;;) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    const int fd = ::accept4(listener_, reinterpret_cast<sockaddr *>(&addr),
                             &len, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_)
        break;
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      // Out of descriptors or memory: say so, and keep serving the
      // connections that are open.
      report(errno_error("accept"));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    {
      // Registered before its thread starts, so that stop() cannot miss it.
      std::lock_guard<std::mutex> lock(connections_mutex_);
      if (stopping_) {
        ::close(fd);
        break;
      }
      connections_.insert(fd);
    }
    connections.emplace_back(&Server::handle, this, fd, describe(addr));
  }
  for (std::thread &t : connections)
    t.join();
}

void Server::stop() {
  std::lock_guard<std::mutex> lock(connections_mutex_);
  stopping_ = true;
  // Wakes the accept and every read with the end of the stream.
  ::shutdown(listener_, SHUT_RDWR);
  for (const int fd : connections_)
    ::shutdown(fd, SHUT_RDWR);
}

void Server::report(const Error &error) {
  if (options_.on_error)
    options_.on_error(error);
}

void Server::handle(int fd, std::string peer) {
  try {
    converse(fd, peer);
  } catch (const Error &e) {
    // A connection cut by stop() is not the client's fault.
    if (!stopping_)
      report(e);
  }
  {
    std::lock_guard<std::mutex> lock(connections_mutex_);
    connections_.erase(fd);
  }
  ::close(fd);
}

void Server::converse(int fd, const std::string &peer) {
  set_timeouts(fd, options_.timeout);
  TlsStream stream(ctx_, fd, peer, options_.max_frame, options_.timeout);
  stream.accept();
  std::string user;
  while (std::optional<std::string> request = stream.read_frame()) {
    for (const std::string &reply : respond(user, *request))
      stream.write_frame(reply);
  }
  // The client ended the session. With close_notify it waits for ours.
  if (SSL_get_shutdown(stream.ssl()) & SSL_RECEIVED_SHUTDOWN)
    stream.close(false);
}

// The reply frames to one request; user is the connection's login.
std::vector<std::string> Server::respond(std::string &user,
                                         const std::string &request) {
  const std::size_t space = request.find(' ');
  const std::string command = request.substr(0, space);
  const std::string rest =
      space == std::string::npos ? std::string() : request.substr(space + 1);
  if (command == "PING")
    return {"PONG"};
  if (command == "HELLO") {
    if (!valid_user(rest))
      return {"ERR bad user name"};
    user = rest;
    return {"OK"};
  }
  if (user.empty())
    return {"ERR say HELLO first"};
  if (command == "SEND") {
    const std::size_t gap = rest.find(' ');
    const std::string to = rest.substr(0, gap);
    if (gap == std::string::npos || !valid_user(to))
      return {"ERR bad recipient"};
    std::lock_guard<std::mutex> lock(inboxes_mutex_);
    inboxes_[to].push_back({user, rest.substr(gap + 1)});
    return {"OK"};
  }
  if (command == "FETCH") {
    std::vector<Message> inbox;
    {
      std::lock_guard<std::mutex> lock(inboxes_mutex_);
      inbox.swap(inboxes_[user]);
    }
    std::vector<std::string> replies{"OK " + std::to_string(inbox.size())};
    for (const Message &m : inbox)
      replies.push_back(m.from + " " + m.text);
    return replies;
  }
  return {"ERR unknown command " + command};
}

} // namespace securechat
