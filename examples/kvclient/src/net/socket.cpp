// Socket: name resolution, connect with a timeout, and send/recv loops that
// turn errno values into the exception classes of socket.h.
#include "net/socket.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kv::net {
namespace {

std::string errno_text(std::string_view step, int err) {
  return std::string(step) + ": " + std::strerror(err);
}

bool is_disconnect(int err) {
  return err == ECONNRESET || err == EPIPE || err == ENOTCONN ||
         err == ECONNABORTED;
}

int to_poll_timeout(std::chrono::milliseconds timeout) {
  return timeout.count() < 0 ? -1 : static_cast<int>(timeout.count());
}

// Waits until fd is ready for events. poll() rather than SO_RCVTIMEO so that
// one timeout value covers connect, send and receive alike.
void wait_ready(int fd, short events, std::chrono::milliseconds timeout,
                std::string_view step) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, to_poll_timeout(timeout));
    if (n > 0)
      return;
    if (n == 0)
      throw Timeout(std::string(step) + ": timed out after " +
                    std::to_string(timeout.count()) + " ms");
    if (errno != EINTR)
      throw NetError(errno_text(step, errno));
  }
}

void set_nonblocking(int fd, bool on) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 ||
      ::fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) < 0)
    throw NetError(errno_text("fcntl", errno));
}

// One connection attempt to one resolved address. The socket is non-blocking
// only while connecting, so that the attempt can be abandoned after timeout.
Socket connect_one(const addrinfo &ai, std::chrono::milliseconds timeout) {
  Socket s(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC,
                    ai.ai_protocol));
  if (!s.is_open())
    throw NetError(errno_text("socket", errno));
  set_nonblocking(s.fd(), true);
  if (::connect(s.fd(), ai.ai_addr, ai.ai_addrlen) < 0) {
    if (errno != EINPROGRESS)
      throw NetError(errno_text("connect", errno));
    wait_ready(s.fd(), POLLOUT, timeout, "connect");
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len) < 0)
      err = errno;
    if (err != 0)
      throw NetError(errno_text("connect", err));
  }
  set_nonblocking(s.fd(), false);
  // Requests are small and answered one by one: do not let Nagle delay them.
  int one = 1;
  ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return s;
}

struct AddrInfoDeleter {
  void operator()(addrinfo *ai) const noexcept { ::freeaddrinfo(ai); }
};

} // namespace

Socket &Socket::operator=(Socket &&other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Socket::close() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Socket Socket::connect_tcp(const std::string &host, std::uint16_t port,
                           std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo *found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found))
    throw NetError("resolve " + host + ": " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);

  std::string last_error = "no address for " + host;
  for (const addrinfo *ai = list.get(); ai; ai = ai->ai_next) {
    try {
      return connect_one(*ai, timeout);
    } catch (const NetError &e) {
      last_error = e.what(); // try the next address, report the last failure
    }
  }
  throw NetError(last_error);
}

void Socket::send_all(std::string_view data, std::chrono::milliseconds timeout) {
  while (!data.empty()) {
    wait_ready(fd_, POLLOUT, timeout, "send");
    // MSG_NOSIGNAL: a peer that went away is an error to report, not SIGPIPE.
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (is_disconnect(errno))
        throw ConnectionLost(errno_text("send", errno));
      throw NetError(errno_text("send", errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::size_t Socket::receive_some(char *buf, std::size_t size,
                                 std::chrono::milliseconds timeout) {
  for (;;) {
    wait_ready(fd_, POLLIN, timeout, "receive");
    ssize_t n = ::recv(fd_, buf, size, 0);
    if (n > 0)
      return static_cast<std::size_t>(n);
    if (n == 0)
      throw ConnectionLost("receive: connection closed by peer");
    if (errno == EINTR)
      continue;
    if (is_disconnect(errno))
      throw ConnectionLost("receive: connection closed by peer");
    throw NetError(errno_text("receive", errno));
  }
}

} // namespace kv::net
