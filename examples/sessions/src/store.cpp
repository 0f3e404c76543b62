// sessions::Store over hiredis: connecting (and reconnecting after a
// connection error), the commands of each operation, and turning hiredis's
// failures and error replies into StoreError.
#include "sessions/store.h"

#include <cstdio>
#include <memory>
#include <random>
#include <utility>

#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace sessions {
namespace {

struct FreeReply {
  void operator()(redisReply *reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, FreeReply>;

constexpr int kIdAttempts = 5;

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(ms.count() % 1000 * 1000);
  return tv;
}

std::string text(const redisReply *reply) {
  return std::string(reply->str, reply->len);
}

// A reply as hiredis returned it: NULL means the connection failed (the
// context says why, and is unusable from now on); an error reply is the
// server refusing the command.
Reply checked(redisContext *c, void *raw) {
  if (raw == nullptr)
    throw StoreError(c->errstr);
  Reply reply(static_cast<redisReply *>(raw));
  if (reply->type == REDIS_REPLY_ERROR)
    throw StoreError(text(reply.get()));
  return reply;
}

// The next reply of a pipeline. Error replies are returned, not thrown, so
// that the caller reads the rest of the pipeline before it gives up.
Reply next_reply(redisContext *c) {
  void *raw = nullptr;
  if (redisGetReply(c, &raw) != REDIS_OK)
    throw StoreError(c->errstr);
  return Reply(static_cast<redisReply *>(raw));
}

void throw_if_error(const Reply &reply) {
  if (reply->type == REDIS_REPLY_ERROR)
    throw StoreError(text(reply.get()));
}

void append(redisContext *c, int status) {
  if (status != REDIS_OK)
    throw StoreError(c->errstr);
}

} // namespace

Store::Store(Options options) : options_(std::move(options)) {}

Store::~Store() { disconnect(); }

void Store::disconnect() noexcept {
  if (context_ != nullptr) {
    redisFree(context_);
    context_ = nullptr;
  }
}

// The live connection, made now if there is none or the last one failed.
redisContext *Store::connection() {
  if (context_ != nullptr && context_->err == 0)
    return context_;
  disconnect();
  const bool timeout = options_.timeout.count() > 0;
  redisContext *c = nullptr;
  if (!options_.unix_socket.empty())
    c = redisConnectUnix(options_.unix_socket.c_str());
  else if (timeout)
    c = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                to_timeval(options_.timeout));
  else
    c = redisConnect(options_.host.c_str(), options_.port);
  if (c == nullptr)
    throw StoreError("Can't allocate redis context");
  if (c->err == 0 && timeout)
    redisSetTimeout(c, to_timeval(options_.timeout));
  if (c->err != 0) {
    StoreError error(c->errstr);
    redisFree(c);
    throw error;
  }
  context_ = c;
  return c;
}

std::string Store::new_id() {
  if (options_.id_source)
    return options_.id_source();
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    char word[9];
    std::snprintf(word, sizeof word, "%08x", static_cast<unsigned>(random()));
    id += word;
  }
  return id;
}

std::string Store::session_key(const std::string &id) const {
  return options_.prefix + "session:" + id;
}

std::string Store::user_key(const std::string &user) const {
  return options_.prefix + "user:" + user + ":sessions";
}

std::string Store::events_key() const { return options_.prefix + "events"; }

void Store::ping() {
  redisContext *c = connection();
  checked(c, redisCommand(c, "PING"));
}

std::string Store::create(const std::string &user, std::chrono::seconds ttl) {
  if (ttl.count() < 1)
    throw std::invalid_argument("sessions: a session lives at least 1 s");
  redisContext *c = connection();
  for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
    const std::string id = new_id();
    const std::string key = session_key(id);
    Reply set = checked(c, redisCommand(c, "SET %s %b EX %d NX", key.c_str(),
                                        user.data(), user.size(),
                                        static_cast<int>(ttl.count())));
    if (set->type == REDIS_REPLY_NIL)
      continue; // the id is taken: draw another
    const std::string sessions = user_key(user);
    checked(c, redisCommand(c, "SADD %b %s", sessions.data(), sessions.size(),
                            id.c_str()));
    return id;
  }
  throw StoreError("sessions: no free session id after " +
                   std::to_string(kIdAttempts) + " attempts");
}

std::optional<Session> Store::lookup(const std::string &id) {
  redisContext *c = connection();
  const std::string key = session_key(id);
  append(c, redisAppendCommand(c, "GET %s", key.c_str()));
  append(c, redisAppendCommand(c, "TTL %s", key.c_str()));
  Reply user = next_reply(c);
  Reply ttl = next_reply(c);
  throw_if_error(user);
  throw_if_error(ttl);
  if (user->type == REDIS_REPLY_NIL)
    return std::nullopt;
  return Session{id, text(user.get()), std::chrono::seconds(ttl->integer)};
}

bool Store::touch(const std::string &id, std::chrono::seconds ttl) {
  if (ttl.count() < 1)
    throw std::invalid_argument("sessions: a session lives at least 1 s");
  redisContext *c = connection();
  const std::string key = session_key(id);
  Reply reply = checked(c, redisCommand(c, "EXPIRE %s %d", key.c_str(),
                                        static_cast<int>(ttl.count())));
  return reply->integer == 1;
}

bool Store::destroy(const std::string &id) {
  redisContext *c = connection();
  const std::string key = session_key(id);
  Reply user = checked(c, redisCommand(c, "GET %s", key.c_str()));
  if (user->type == REDIS_REPLY_NIL)
    return false;
  const char *argv[] = {"DEL", key.c_str()};
  const size_t lengths[] = {3, key.size()};
  Reply deleted = checked(c, redisCommandArgv(c, 2, argv, lengths));
  const std::string sessions = user_key(text(user.get()));
  checked(c, redisCommand(c, "SREM %b %s", sessions.data(), sessions.size(),
                          id.c_str()));
  return deleted->integer == 1;
}

std::size_t Store::destroy_all_of(const std::string &user) {
  redisContext *c = connection();
  const std::string sessions = user_key(user);
  Reply members = checked(
      c, redisCommand(c, "SMEMBERS %b", sessions.data(), sessions.size()));
  if (members->elements == 0)
    return 0;
  // One DEL per session and one SREM for all of them, sent together.
  std::vector<std::string> ids;
  std::vector<const char *> argv = {"SREM", sessions.c_str()};
  std::vector<size_t> lengths = {4, sessions.size()};
  for (size_t i = 0; i < members->elements; ++i)
    ids.push_back(text(members->element[i]));
  for (const std::string &id : ids) {
    const std::string key = session_key(id);
    append(c, redisAppendCommand(c, "DEL %s", key.c_str()));
    argv.push_back(id.c_str());
    lengths.push_back(id.size());
  }
  append(c, redisAppendCommandArgv(c, static_cast<int>(argv.size()),
                                   argv.data(), lengths.data()));
  std::vector<Reply> replies;
  for (size_t i = 0; i <= ids.size(); ++i)
    replies.push_back(next_reply(c));
  std::size_t ended = 0;
  for (const Reply &reply : replies) {
    throw_if_error(reply);
    if (&reply != &replies.back())
      ended += static_cast<std::size_t>(reply->integer);
  }
  return ended;
}

std::size_t Store::count_active(const std::string &user) {
  redisContext *c = connection();
  const std::string sessions = user_key(user);
  Reply members = checked(
      c, redisCommand(c, "SMEMBERS %b", sessions.data(), sessions.size()));
  for (size_t i = 0; i < members->elements; ++i) {
    const std::string key = session_key(text(members->element[i]));
    append(c, redisAppendCommand(c, "EXISTS %s", key.c_str()));
  }
  std::vector<const char *> expired = {"SREM", sessions.c_str()};
  std::vector<size_t> lengths = {4, sessions.size()};
  std::size_t active = 0;
  for (size_t i = 0; i < members->elements; ++i) {
    Reply exists = next_reply(c);
    throw_if_error(exists);
    if (exists->integer == 1) {
      ++active;
    } else {
      expired.push_back(members->element[i]->str);
      lengths.push_back(members->element[i]->len);
    }
  }
  if (expired.size() > 2)
    checked(c, redisCommandArgv(c, static_cast<int>(expired.size()),
                                expired.data(), lengths.data()));
  return active;
}

void Store::publish(const std::string &event) {
  redisContext *c = connection();
  const std::string key = events_key();
  checked(c, redisCommand(c, "RPUSH %s %b", key.c_str(), event.data(),
                          event.size()));
}

std::optional<std::string> Store::next_event(int timeout_seconds) {
  redisContext *c = connection();
  const std::string key = events_key();
  Reply reply =
      checked(c, redisCommand(c, "BLPOP %s %d", key.c_str(), timeout_seconds));
  if (reply->type == REDIS_REPLY_NIL)
    return std::nullopt;
  // [list, value]
  return text(reply->element[1]);
}

long long Store::client_id() {
  redisContext *c = connection();
  Reply reply = checked(c, redisCommand(c, "CLIENT ID"));
  return reply->integer;
}

} // namespace sessions
