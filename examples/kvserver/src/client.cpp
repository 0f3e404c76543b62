#include "kvserver/client.h"

#include "line_reader.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace kvs {
namespace {

std::string errno_text(const char *what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// "VALUE x" -> "x" when the reply starts with word; throws on ERR.
std::string expect(const std::string &reply, const std::string &word) {
  if (reply.rfind("ERR ", 0) == 0)
    throw ServerError(reply.substr(4));
  if (reply == word)
    return {};
  if (reply.size() > word.size() && reply.compare(0, word.size(), word) == 0 &&
      reply[word.size()] == ' ')
    return reply.substr(word.size() + 1);
  throw ClientError("unexpected reply '" + reply + "' (expected " + word + ")");
}

long long to_integer(const std::string &text) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw ClientError("not an integer: '" + text + "'");
  return n;
}

} // namespace

Client::Client(int fd) : fd_(fd), reader_(std::make_unique<LineReader>(fd)) {}

Client::Client(Client &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), reader_(std::move(other.reader_)) {}

Client &Client::operator=(Client &&other) noexcept {
  if (this != &other) {
    close_now();
    fd_ = std::exchange(other.fd_, -1);
    reader_ = std::move(other.reader_);
  }
  return *this;
}

Client::~Client() { close_now(); }

void Client::close_now() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  reader_.reset();
}

Client Client::connect(std::uint16_t port, const std::string &host) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    throw ClientError("not an IPv4 address: " + host);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw ClientError(errno_text("socket"));
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    std::string message = errno_text("connect");
    ::close(fd);
    throw ClientError(message);
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return Client(fd);
}

void Client::send_line(const std::string &data) {
  if (fd_ < 0)
    throw ClientError("not connected");
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw ClientError(errno_text("send"));
    done += static_cast<std::size_t>(n);
  }
}

std::string Client::read_reply() {
  if (fd_ < 0)
    throw ClientError("not connected");
  std::string line;
  switch (reader_->read_line(line)) {
  case LineReader::Status::Line:
    return line;
  case LineReader::Status::Eof:
    throw ClientError("connection closed by the server");
  case LineReader::Status::TooLong:
    throw ClientError("reply line too long");
  case LineReader::Status::Error:
    break;
  }
  throw ClientError(errno_text("recv"));
}

std::string Client::request(const std::string &line) {
  send_line(line + "\n");
  return read_reply();
}

void Client::ping() { expect(request("PING"), "PONG"); }

std::optional<std::string> Client::get(const std::string &key) {
  std::string reply = request("GET " + key);
  if (reply == "NIL")
    return std::nullopt;
  return expect(reply, "VALUE");
}

void Client::set(const std::string &key, const std::string &value) {
  expect(request("SET " + key + " " + value), "OK");
}

bool Client::del(const std::string &key) {
  std::string reply = request("DEL " + key);
  if (reply == "NOT_FOUND")
    return false;
  expect(reply, "DELETED");
  return true;
}

long long Client::incr(const std::string &key, long long by) {
  std::string reply = request("INCR " + key + " " + std::to_string(by));
  return to_integer(expect(reply, "INT"));
}

std::size_t Client::size() {
  std::string reply = request("SIZE");
  return static_cast<std::size_t>(to_integer(expect(reply, "INT")));
}

std::vector<std::string> Client::pipeline(const std::vector<std::string> &requests) {
  std::string batch;
  for (const std::string &r : requests) {
    batch += r;
    batch += '\n';
  }
  send_line(batch);
  std::vector<std::string> replies;
  replies.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i)
    replies.push_back(read_reply());
  return replies;
}

void Client::quit() {
  std::string reply = request("QUIT");
  close_now();
  expect(reply, "BYE");
}

void Client::shutdown_server() {
  std::string reply = request("SHUTDOWN");
  close_now();
  expect(reply, "BYE");
}

} // namespace kvs
