#pragma once
// A blocking client of the line protocol (protocol.h): one connection, one
// request at a time, or a batch sent at once (pipeline).
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kvs {

class LineReader;

/// The connection failed or the server replied with something unexpected.
class ClientError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The server answered "ERR ...".
class ServerError : public ClientError {
public:
  using ClientError::ClientError;
};

class Client {
public:
  static Client connect(std::uint16_t port, const std::string &host = "127.0.0.1");

  Client(Client &&other) noexcept;
  Client &operator=(Client &&other) noexcept;
  ~Client();

  void ping();
  std::optional<std::string> get(const std::string &key);
  void set(const std::string &key, const std::string &value);
  /// False when the key did not exist.
  bool del(const std::string &key);
  long long incr(const std::string &key, long long by = 1);
  std::size_t size();

  /// Sends every line at once, then reads one reply line per request.
  std::vector<std::string> pipeline(const std::vector<std::string> &requests);
  /// Sends one raw request line; returns the raw reply line.
  std::string request(const std::string &line);

  /// Says QUIT and closes.
  void quit();
  /// Asks the server to stop (SHUTDOWN) and closes.
  void shutdown_server();

  bool connected() const { return fd_ >= 0; }

private:
  explicit Client(int fd);
  void send_line(const std::string &data);
  std::string read_reply();
  void close_now();

  int fd_ = -1;
  std::unique_ptr<LineReader> reader_;
};

} // namespace kvs
