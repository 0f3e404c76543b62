// kv::Client: connection management, retries, and the typed commands.
#include "kv/client.h"

#include <utility>

namespace kv {
namespace {

// A reply of an unexpected type means client and server disagree on the
// protocol: report it with the command it answered.
[[noreturn]] void unexpected(const char *command, const Reply &reply) {
  throw ProtocolError(std::string("unexpected reply to ") + command + ": " +
                      describe(reply));
}

} // namespace

Client::Client(ClientOptions options)
    : options_(std::move(options)), reader_(socket_) {}

Client::~Client() {
  try {
    close();
  } catch (const std::exception &) {
    // The server may already be gone; there is nobody left to tell.
  }
}

void Client::ensure_connected() {
  if (socket_.is_open())
    return;
  socket_ = net::Socket::connect_tcp(options_.host, options_.port,
                                     options_.timeout);
  reader_.reset();
  if (connects_++ > 0)
    ++reconnects_;
}

void Client::drop_connection() noexcept {
  socket_.close();
  reader_.reset();
}

Reply Client::call(const std::vector<std::string> &args, Retry retry) {
  const std::string request = encode_command(args);
  for (int attempt = 0;; ++attempt) {
    try {
      ensure_connected();
      socket_.send_all(request, options_.timeout);
      return read_reply(reader_, options_.timeout);
    } catch (const net::ConnectionLost &) {
      drop_connection();
      if (retry == Retry::Never || attempt >= options_.retries)
        throw;
    } catch (const net::NetError &) {
      // Timeouts and protocol-level failures leave the stream at an unknown
      // position: a late reply would be taken for the next request's.
      drop_connection();
      throw;
    } catch (const ProtocolError &) {
      drop_connection();
      throw;
    }
  }
}

std::vector<Reply>
Client::call_pipelined(const std::vector<std::vector<std::string>> &requests,
                       Retry retry) {
  std::string batch;
  for (const auto &args : requests)
    batch += encode_command(args);
  for (int attempt = 0;; ++attempt) {
    try {
      ensure_connected();
      socket_.send_all(batch, options_.timeout);
      std::vector<Reply> replies;
      replies.reserve(requests.size());
      while (replies.size() < requests.size())
        replies.push_back(read_reply(reader_, options_.timeout));
      return replies;
    } catch (const net::ConnectionLost &) {
      drop_connection();
      if (retry == Retry::Never || attempt >= options_.retries)
        throw;
    } catch (const net::NetError &) {
      drop_connection();
      throw;
    } catch (const ProtocolError &) {
      drop_connection();
      throw;
    }
  }
}

std::string Client::ping() {
  const std::vector<std::string> request{"PING"};
  Reply reply = expect_success(call(request, Retry::Safe));
  if (reply.kind != Reply::Kind::Status)
    unexpected("PING", reply);
  return reply.text;
}

std::optional<std::string> Client::get(const std::string &key) {
  const std::vector<std::string> request{"GET", key};
  Reply reply = expect_success(call(request, Retry::Safe));
  if (reply.kind == Reply::Kind::Nil)
    return std::nullopt;
  if (reply.kind != Reply::Kind::Value)
    unexpected("GET", reply);
  return reply.text;
}

std::vector<std::optional<std::string>>
Client::get_many(const std::vector<std::string> &keys) {
  std::vector<std::vector<std::string>> requests;
  for (const std::string &key : keys)
    requests.push_back({"GET", key});
  std::vector<std::optional<std::string>> values;
  for (Reply &reply : call_pipelined(requests, Retry::Safe)) {
    reply = expect_success(std::move(reply));
    if (reply.kind == Reply::Kind::Nil)
      values.emplace_back();
    else if (reply.kind == Reply::Kind::Value)
      values.emplace_back(std::move(reply.text));
    else
      unexpected("GET", reply);
  }
  return values;
}

void Client::set(const std::string &key, const std::string &value) {
  const std::vector<std::string> request{"SET", key, value};
  Reply reply = expect_success(call(request, Retry::Safe));
  if (reply.kind != Reply::Kind::Status)
    unexpected("SET", reply);
}

bool Client::del(const std::string &key) {
  const std::vector<std::string> request{"DEL", key};
  Reply reply = expect_success(call(request, Retry::Safe));
  if (reply.kind != Reply::Kind::Integer)
    unexpected("DEL", reply);
  return reply.integer > 0;
}

long long Client::incr(const std::string &key, long long by) {
  const std::vector<std::string> request{"INCR", key, std::to_string(by)};
  Reply reply = expect_success(call(request, Retry::Never));
  if (reply.kind != Reply::Kind::Integer)
    unexpected("INCR", reply);
  return reply.integer;
}

std::vector<std::string> Client::keys(const std::string &prefix) {
  std::vector<std::string> request{"KEYS"};
  if (!prefix.empty())
    request.push_back(prefix);
  Reply reply = expect_success(call(request, Retry::Safe));
  if (reply.kind != Reply::Kind::Array)
    unexpected("KEYS", reply);
  return std::move(reply.items);
}

Reply Client::command(const std::vector<std::string> &args) {
  return call(args, Retry::Never);
}

void Client::close() {
  if (!socket_.is_open())
    return;
  const std::vector<std::string> request{"QUIT"};
  try {
    call(request, Retry::Never);
  } catch (const net::NetError &) {
    // Already gone: closing is what we wanted anyway.
  }
  drop_connection();
}

} // namespace kv
