// The byte-stream interface of the client and its TCP implementation: a
// socket owned by one object, with every blocking step bounded by a timeout
// (poll() before connect completion, send and recv).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace kv::net {

/// Any failure of the network layer; what() names the step and the errno text.
class NetError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The peer closed or reset the connection. A request that the server may
/// not have executed can be sent again on a new connection.
class ConnectionLost : public NetError {
public:
  using NetError::NetError;
};

/// The peer did not make progress within the allowed time. The connection is
/// in an unknown state (a late reply may still arrive) and must be dropped.
class Timeout : public NetError {
public:
  using NetError::NetError;
};

/// A byte stream the protocol layer reads and writes. Socket is the TCP
/// one; a TLS stream or a test double would be others.
class Stream {
public:
  virtual ~Stream() = default;
  /// Sends all of data; each chunk must leave within timeout.
  virtual void send_all(std::string_view data,
                        std::chrono::milliseconds timeout) = 0;
  /// Receives between 1 and size bytes. Throws ConnectionLost at end of
  /// stream, Timeout when nothing arrives within timeout.
  virtual std::size_t receive_some(char *buf, std::size_t size,
                                   std::chrono::milliseconds timeout) = 0;
};

class Socket : public Stream {
public:
  Socket() = default;
  explicit Socket(int fd) noexcept : fd_(fd) {}
  Socket(Socket &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket &operator=(Socket &&other) noexcept;
  Socket(const Socket &) = delete;
  Socket &operator=(const Socket &) = delete;
  ~Socket() override { close(); }

  /// Resolves host (name or address) and connects to the first address that
  /// accepts within timeout. Throws NetError naming the last failure.
  static Socket connect_tcp(const std::string &host, std::uint16_t port,
                            std::chrono::milliseconds timeout);

  bool is_open() const noexcept { return fd_ >= 0; }
  int fd() const noexcept { return fd_; }

  void send_all(std::string_view data,
                std::chrono::milliseconds timeout) override;
  std::size_t receive_some(char *buf, std::size_t size,
                           std::chrono::milliseconds timeout) override;

  void close() noexcept;

private:
  int fd_ = -1;
};

} // namespace kv::net
