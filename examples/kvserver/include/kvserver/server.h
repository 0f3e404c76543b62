#pragma once
// A thread-per-connection TCP server of the line protocol (protocol.h):
// one thread accepts, and every connection gets a detached thread of its
// own that reads request lines and writes the replies. All connections
// share one Store.
#include "kvserver/store.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>

namespace kvs {

class Server {
public:
  /// Listens on host:port (port 0: one the kernel picks, see port()).
  explicit Server(std::uint16_t port = 0, const std::string &host = "127.0.0.1");
  /// Stops the server if it still runs and waits for every connection to end.
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  std::uint16_t port() const { return port_; }

  /// Accepts connections until stop() (or a SHUTDOWN request); each one is
  /// served by a thread of its own. Returns once it accepts no more.
  void serve();

  /// Stops accepting and closes every open connection (their threads end
  /// after their current request). Callable from any thread, any number of
  /// times.
  void stop();

  /// Connections open right now.
  std::size_t connections() const;

  Store &store() { return store_; }

private:
  void handle_connection(int fd);
  bool track(int fd);
  void untrack_and_close(int fd);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  Store store_;

  mutable std::mutex mu_;
  std::condition_variable drained_;
  std::unordered_set<int> open_fds_;
  bool stopping_ = false;
};

} // namespace kvs
