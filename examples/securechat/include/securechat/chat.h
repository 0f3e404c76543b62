// securechat: a small message relay over TLS. A Server keeps an inbox per
// user name; a Client logs in as a user, sends messages to other users'
// inboxes and fetches its own. Both sides use blocking sockets and
// OpenSSL; the server gives every connection a thread of its own.
//
// The protocol is a sequence of frames, each a 4-byte big-endian length and
// that many bytes, one request frame answered by one or more reply frames:
//
//   HELLO <user>          OK                (or ERR <why>)
//   SEND <to> <text>      OK                (text: any bytes, to the end)
//   FETCH                 OK <n>, then n frames "<from> <text>"
//   PING                  PONG
//
// A session ends with TLS close_notify from either side; the server takes
// a connection that ends between frames, with or without close_notify, as
// a client that went away. Every failure is thrown as (or, on the server,
// reported as) a securechat::Error that says what failed and why, with
// OpenSSL's reason or the system's error text.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

struct ssl_ctx_st;

namespace securechat {

class Error : public std::runtime_error {
public:
  enum class Kind {
    Network,  // a socket call failed (connect refused, reset, ...)
    Tls,      // the TLS layer failed (handshake, certificate, bad record)
    Timeout,  // a read or write waited longer than the timeout
    Closed,   // the peer closed the connection, or this side already did
    Protocol, // the peer sent something the protocol does not allow
    Refused,  // the server answered a request with ERR
  };

  Error(Kind kind, const std::string &what, int ssl_error = 0,
        int sys_errno = 0)
      : std::runtime_error(what), kind_(kind), ssl_error_(ssl_error),
        sys_errno_(sys_errno) {}

  Kind kind() const noexcept { return kind_; }
  // SSL_get_error's answer for the failed call, 0 if no TLS call failed.
  int ssl_error() const noexcept { return ssl_error_; }
  // errno of the failed socket call, 0 if none.
  int sys_errno() const noexcept { return sys_errno_; }

private:
  Kind kind_;
  int ssl_error_;
  int sys_errno_;
};

struct Message {
  std::string from;
  std::string text;
  bool operator==(const Message &) const = default;
};

class TlsStream;

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // PEM file of the certificates to trust; empty: the system's.
  std::string ca_file;
  // The name the server's certificate must carry (also sent as SNI).
  std::string server_name = "localhost";
  // The longest any one read or write may wait (SO_RCVTIMEO and
  // SO_SNDTIMEO, the handshake included); zero waits forever.
  std::chrono::milliseconds timeout{0};
  // Frames longer than this are refused as a protocol error.
  std::size_t max_frame = 1 << 20;
};

class Client {
public:
  // Connects, checks the server's certificate and logs in as user.
  static Client connect(const ClientOptions &options, const std::string &user);

  Client(Client &&) noexcept;
  Client &operator=(Client &&) noexcept;
  ~Client(); // closes the socket without close_notify; see close()

  // Puts text in to's inbox.
  void send(const std::string &to, const std::string &text);
  // Takes every message waiting in this user's inbox, oldest first.
  std::vector<Message> fetch();
  // Checks that the server answers.
  void ping();
  // Ends the session: close_notify, then waits for the server's. Any call
  // after it throws Error::Kind::Closed.
  void close();

private:
  Client(ssl_ctx_st *ctx, int fd, std::unique_ptr<TlsStream> stream);
  std::string call(const std::string &request);
  TlsStream &stream();

  ssl_ctx_st *ctx_ = nullptr;
  int fd_ = -1;
  std::unique_ptr<TlsStream> stream_;
  // A failed call leaves the connection mid-reply: nothing more is sent on
  // it, and the next call throws Error::Kind::Closed.
  bool broken_ = false;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  // 0: the kernel picks a free port; port() tells which.
  std::uint16_t port = 0;
  std::string cert_file; // PEM certificate chain
  std::string key_file;  // PEM private key
  // The longest a connection may wait for the client's next bytes (and
  // the longest a write may wait), the handshake included; zero waits
  // forever.
  std::chrono::milliseconds timeout{0};
  std::size_t max_frame = 1 << 20;
  // Called with the error that ended a connection (on the connection's
  // thread); the server goes on serving the others.
  std::function<void(const Error &)> on_error;
};

class Server {
public:
  // Loads the certificate and key, binds and listens.
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  std::uint16_t port() const noexcept { return port_; }

  // Accepts connections until stop(), each served on a thread of its own;
  // returns once every connection has ended.
  void serve();
  // From any thread: stops accepting and shuts down the open connections
  // (their threads see the end of the stream and finish); serve() then
  // returns. Errors of connections cut this way are not reported.
  void stop();

private:
  void handle(int fd, std::string peer);
  void converse(int fd, const std::string &peer);
  std::vector<std::string> respond(std::string &user,
                                   const std::string &request);
  void report(const Error &error);

  ServerOptions options_;
  ssl_ctx_st *ctx_ = nullptr;
  int listener_ = -1;
  std::uint16_t port_ = 0;

  std::mutex connections_mutex_;
  std::set<int> connections_; // open client sockets, for stop()
  std::atomic<bool> stopping_{false};

  std::mutex inboxes_mutex_;
  std::map<std::string, std::vector<Message>> inboxes_;
};

} // namespace securechat
