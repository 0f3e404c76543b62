// kv::Client: the typed API of the KV protocol over one lazily opened,
// automatically re-opened connection.
#pragma once

#include "kv/protocol.h"
#include "net/line_reader.h"
#include "net/socket.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kv {

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  /// Bound on connecting and on each wait for the server.
  std::chrono::milliseconds timeout{2000};
  /// How often a request that is safe to repeat is sent again on a new
  /// connection after the old one was lost.
  int retries = 1;
};

class Client {
public:
  explicit Client(ClientOptions options);
  /// Says goodbye to the server if still connected.
  ~Client();
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;

  /// "PONG" when the server is alive.
  std::string ping();
  std::optional<std::string> get(const std::string &key);
  /// One round trip for all keys: the requests are pipelined.
  std::vector<std::optional<std::string>>
  get_many(const std::vector<std::string> &keys);
  void set(const std::string &key, const std::string &value);
  /// True if the key existed.
  bool del(const std::string &key);
  /// The new value. Never retried: the server may have applied it already.
  long long incr(const std::string &key, long long by = 1);
  /// Sorted keys starting with prefix.
  std::vector<std::string> keys(const std::string &prefix = "");

  /// Sends args as they are and returns the reply, errors included. Not
  /// retried, since nothing is known about what the command does.
  Reply command(const std::vector<std::string> &args);

  /// Ends the session politely (QUIT); the next request connects again.
  void close();

  bool connected() const noexcept { return socket_.is_open(); }
  /// Connections opened after the first one.
  int reconnects() const noexcept { return reconnects_; }

private:
  enum class Retry { Safe, Never };

  Reply call(const std::vector<std::string> &args, Retry retry);
  std::vector<Reply>
  call_pipelined(const std::vector<std::vector<std::string>> &requests,
                 Retry retry);
  void ensure_connected();
  void drop_connection() noexcept;

  ClientOptions options_;
  net::Socket socket_;
  net::LineReader reader_;
  int connects_ = 0;
  int reconnects_ = 0;
};

} // namespace kv
