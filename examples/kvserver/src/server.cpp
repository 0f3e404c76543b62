#include "kvserver/server.h"

#include "kvserver/protocol.h"
#include "line_reader.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/socket.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace kvs {
namespace {

[[noreturn]] void fail(const char *what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Sends all of data; false when the peer is gone.
bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

} // namespace

Server::Server(std::uint16_t port, const std::string &host) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0)
    fail("socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(listen_fd_);
    throw std::invalid_argument("not an IPv4 address: " + host);
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0 ||
      ::listen(listen_fd_, SOMAXCONN) < 0) {
    int saved = errno;
    ::close(listen_fd_);
    errno = saved;
    fail("bind/listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

Server::~Server() {
  stop();
  std::unique_lock<std::mutex> lock(mu_);
  drained_.wait(lock, [this] { return open_fds_.empty(); });
  lock.unlock();
  ::close(listen_fd_);
}

void Server::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_)
    return;
  stopping_ = true;
  // Wakes the accept, which then fails: serve() returns.
  ::shutdown(listen_fd_, SHUT_RDWR);
  // Every connection sees end of file; its thread closes it.
  for (int fd : open_fds_)
    ::shutdown(fd, SHUT_RDWR);
}

std::size_t Server::connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_fds_.size();
}

bool Server::track(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_)
    return false;
  open_fds_.insert(fd);
  return true;
}

void Server::untrack_and_close(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  open_fds_.erase(fd);
  // Closed under the lock, so stop() never shuts down a reused number.
  ::close(fd);
  if (open_fds_.empty())
    drained_.notify_all();
}

void Server::serve() {
  for (;;) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_)
          return;
      }
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM) {
        // Out of descriptors: wait for some connections to end.
        std::perror("kvserver: accept");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      fail("accept");
    }
    if (!track(fd)) {
      ::close(fd);
      return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread([this, fd] { handle_connection(fd); }).detach();
  }
}

void Server::handle_connection(int fd) {
  LineReader reader(fd);
  std::string line;
  std::string replies;
  After after = After::Continue;
  while (after == After::Continue) {
    LineReader::Status status = reader.read_line(line);
    if (status == LineReader::Status::TooLong) {
      replies += "ERR line too long\n";
      after = After::Close;
    } else if (status != LineReader::Status::Line) {
      break;
    } else {
      after = execute(line, store_, replies);
    }
    // Pipelined requests: answer everything already received in one send.
    if (after != After::Continue || !reader.has_line()) {
      if (!send_all(fd, replies))
        break;
      replies.clear();
    }
  }
  if (after == After::Shutdown)
    stop();
  untrack_and_close(fd);
}

} // namespace kvs
