// The hand-written reference for the kvserver benchmark: the same protocol
// (examples/kvserver/src/protocol.cpp and store.cpp, linked in) served by
// one thread with a level-triggered epoll loop and non-blocking sockets, the
// way one would write it by hand without coroutines. Per connection: an
// input buffer and an output buffer, nothing else.
//
//   epoll_server [--port N] [--port-file FILE]   (127.0.0.1; SHUTDOWN stops it)
#include "kvserver/protocol.h"
#include "kvserver/store.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

struct Conn {
  std::string in;
  std::size_t start = 0;  // first unparsed byte of in
  std::string out;
  bool close_after_write = false;
  bool want_out = false;
};

std::vector<std::unique_ptr<Conn>> conns;  // by descriptor
int ep = -1;
bool stopping = false;

void close_conn(int fd) {
  conns[static_cast<std::size_t>(fd)].reset();
  ::close(fd);
}

void set_events(int fd, Conn &c, bool want_out) {
  if (c.want_out == want_out)
    return;
  c.want_out = want_out;
  epoll_event ev{};
  ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0u);
  ev.data.fd = fd;
  epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

// Writes what the socket takes; false when the connection is gone.
bool flush(int fd, Conn &c) {
  std::size_t done = 0;
  while (done < c.out.size()) {
    ssize_t n = ::send(fd, c.out.data() + done, c.out.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      break;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  c.out.erase(0, done);
  if (c.out.empty() && c.close_after_write)
    return false;
  set_events(fd, c, !c.out.empty());
  return true;
}

// Reads what is there and answers every complete line.
bool on_readable(int fd, Conn &c, kvs::Store &store) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      break;
    if (n <= 0)
      return false;  // end of file or error: a partial line is dropped
    c.in.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < sizeof buf)
      break;
  }
  std::size_t nl;
  while (!c.close_after_write && (nl = c.in.find('\n', c.start)) != std::string::npos) {
    std::string_view line(c.in.data() + c.start, nl - c.start);
    kvs::After after = kvs::execute(line, store, c.out);
    c.start = nl + 1;
    if (after == kvs::After::Close)
      c.close_after_write = true;
    if (after == kvs::After::Shutdown) {
      c.close_after_write = true;
      stopping = true;
    }
  }
  if (c.start == c.in.size()) {
    c.in.clear();
    c.start = 0;
  } else if (c.start > 0) {
    c.in.erase(0, c.start);
    c.start = 0;
  }
  if (c.in.size() > kvs::max_line_length) {
    c.out += "ERR line too long\n";
    c.close_after_write = true;
  }
  return flush(fd, c);
}

} // namespace

int main(int argc, char **argv) {
  int port = 0;
  std::string port_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--port")
      port = std::atoi(argv[i + 1]);
    else if (a == "--port-file")
      port_file = argv[i + 1];
  }
  std::signal(SIGPIPE, SIG_IGN);
  int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0 ||
      listen(lfd, SOMAXCONN) < 0) {
    std::perror("epoll_server: bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr *>(&addr), &len);
  if (!port_file.empty()) {
    std::ofstream(port_file + ".tmp") << ntohs(addr.sin_port) << "\n";
    std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  }
  std::printf("epoll_server: listening on 127.0.0.1:%u\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  kvs::Store store;
  ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  std::vector<epoll_event> events(1024);
  while (!stopping) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0 && errno == EINTR)
      continue;
    for (int e = 0; e < n; ++e) {
      int fd = events[e].data.fd;
      if (fd == lfd) {
        for (;;) {
          int cfd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0)
            break;  // EAGAIN, or out of descriptors: try again on the next event
          setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          if (conns.size() <= static_cast<std::size_t>(cfd))
            conns.resize(static_cast<std::size_t>(cfd) * 2 + 1);
          conns[static_cast<std::size_t>(cfd)] = std::make_unique<Conn>();
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = cfd;
          epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &cev);
        }
        continue;
      }
      Conn *c = conns[static_cast<std::size_t>(fd)].get();
      if (!c)
        continue;
      bool alive = true;
      if (events[e].events & EPOLLOUT)
        alive = flush(fd, *c);
      if (alive && (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        alive = on_readable(fd, *c, store);
      if (!alive)
        close_conn(fd);
    }
  }
  for (std::size_t fd = 0; fd < conns.size(); ++fd)
    if (conns[fd])
      close_conn(static_cast<int>(fd));
  ::close(lfd);
  ::close(ep);
  std::printf("epoll_server: stopped\n");
  return 0;
}
