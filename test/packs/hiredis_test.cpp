// Tests of vinyl::redis, the hiredis adapter, against a real redis-server
// that redis_server.hpp starts for this process. Every call runs in
// blocking mode and in async mode on both backends, and must give what the
// plain hiredis call gives: replies, c->err and c->errstr (compared with the
// plain call's own outcome wherever it can be had). In async mode, commands
// on many connections must wait together and the loop must keep serving its
// other tasks while one waits: both are checked by the order of events,
// which a loop blocked in hiredis could not produce.
#include "../runtime/test_support.hpp"
#include "redis_server.hpp"
#include "server_environment.hpp"

#include <vinyl/hiredis.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <csignal>

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;

// hiredis writes with write(2): a write to a connection the server closed
// would end the process, as it ends any client that does not ignore
// SIGPIPE.
[[maybe_unused]] const bool sigpipe_ignored =
    std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;

// The server, started once for the whole process.
using redis_environment = server_environment<redis_server>;
[[maybe_unused]] ::testing::Environment *const environment =
    ::testing::AddGlobalTestEnvironment(new redis_environment);
redis_server *const &server = redis_environment::server;
const std::string &server_error = redis_environment::error;

struct redis_deleter {
  void operator()(redisContext *c) const { redisFree(c); }
  void operator()(redisReply *r) const { freeReplyObject(r); }
};
using context_ptr = std::unique_ptr<redisContext, redis_deleter>;
using reply_ptr = std::unique_ptr<redisReply, redis_deleter>;

template <class F> auto drive(F &&body) { return vinyl::block_on(body()); }

// The outcome of a connect or a failed call, for comparing the modes.
struct failure {
  int err;
  std::string errstr;
  bool operator==(const failure &) const = default;
};

void PrintTo(const failure &f, std::ostream *os) {
  *os << "err " << f.err << " \"" << f.errstr << "\"";
}

failure failure_of(const redisContext *c) {
  return c ? failure{c->err, c->errstr} : failure{-1, "no context"};
}

context_ptr connect_unix() {
  return drive([]() -> vinyl::task<context_ptr> {
    co_return context_ptr(
        co_await vinyl::redis::connect_unix(server->socket_path().c_str()));
  });
}

reply_ptr command(redisContext *c, const std::string &text) {
  return drive([&]() -> vinyl::task<reply_ptr> {
    co_return reply_ptr(static_cast<redisReply *>(
        co_await vinyl::redis::command(c, text.c_str())));
  });
}

// Setup and checks made with plain hiredis, outside any loop.
context_ptr plain_connect() {
  context_ptr c(redisConnectUnix(server->socket_path().c_str()));
  if (!c || c->err)
    throw std::runtime_error("cannot connect: " + failure_of(c.get()).errstr);
  return c;
}

reply_ptr plain_command(redisContext *c, const std::string &text) {
  return reply_ptr(static_cast<redisReply *>(redisCommand(c, text.c_str())));
}

std::string text_of(const reply_ptr &r) {
  if (!r)
    return "<NULL>";
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
      r->type == REDIS_REPLY_ERROR)
    return std::string(r->str, r->len);
  if (r->type == REDIS_REPLY_INTEGER)
    return std::to_string(r->integer);
  if (r->type == REDIS_REPLY_NIL)
    return "<nil>";
  return "<type " + std::to_string(r->type) + ">";
}

long long client_id(redisContext *c) {
  const reply_ptr r = plain_command(c, "CLIENT ID");
  return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
}

// Kills client `id` from a connection of its own, after `delay`.
std::thread kill_client_later(long long id, std::chrono::milliseconds delay) {
  return std::thread([id, delay] {
    std::this_thread::sleep_for(delay);
    const context_ptr admin = plain_connect();
    (void)plain_command(admin.get(), "CLIENT KILL ID " + std::to_string(id));
  });
}

// A key of the test's own, per mode: the server is shared by all tests.
std::string key_for(const char *what, const io_config &config) {
  std::string key = what;
  key += ':';
  key += config_name(config);
  return key;
}

class with_server : public with_io_config {
protected:
  void SetUp() override {
    with_io_config::SetUp();
    if (!server)
      FAIL() << "no redis-server for the tests: " << server_error;
  }
};

class Redis : public with_server {};

INSTANTIATE_TEST_SUITE_P(Modes, Redis,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncRedis : public with_server {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncRedis,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// ---------------------------------------------------------------- connect

TEST_P(Redis, ConnectsOverAUnixSocket) {
  const context_ptr c = connect_unix();
  ASSERT_TRUE(c);
  ASSERT_EQ(c->err, 0) << c->errstr;
  // A blocking context, as redisConnectUnix makes.
  EXPECT_TRUE(c->flags & REDIS_BLOCK);
  EXPECT_EQ(::fcntl(c->fd, F_GETFL) & O_NONBLOCK, 0);
  EXPECT_EQ(text_of(command(c.get(), "PING")), "PONG");
}

TEST_P(Redis, ConnectsOverTcp) {
  const context_ptr c(drive([]() -> vinyl::task<redisContext *> {
    co_return co_await vinyl::redis::connect("127.0.0.1", server->port());
  }));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->err, 0) << c->errstr;
  EXPECT_EQ(text_of(command(c.get(), "ECHO hello")), "hello");
}

TEST_P(Redis, RefusedConnectionFailsLikeRedisConnect) {
  const int port = redis_server::closed_port();
  const context_ptr plain(redisConnect("127.0.0.1", port));
  const context_ptr c(drive([port]() -> vinyl::task<redisContext *> {
    co_return co_await vinyl::redis::connect("127.0.0.1", port);
  }));
  ASSERT_NE(failure_of(plain.get()).err, 0);
  EXPECT_EQ(failure_of(c.get()), failure_of(plain.get()));
}

TEST_P(Redis, MissingSocketFailsLikeRedisConnectUnix) {
  const std::string path = server->socket_path() + ".missing";
  const context_ptr plain(redisConnectUnix(path.c_str()));
  const context_ptr c(drive([&]() -> vinyl::task<redisContext *> {
    co_return co_await vinyl::redis::connect_unix(path.c_str());
  }));
  ASSERT_NE(failure_of(plain.get()).err, 0);
  EXPECT_EQ(failure_of(c.get()), failure_of(plain.get()));
}

// The same context as the plain call's: its connect timeout kept for
// redisReconnect, and the socket's own timeouts as that call leaves them.
TEST_P(Redis, ConnectWithTimeoutMakesTheSameContext) {
  const timeval tv{0, 250'000};
  const context_ptr plain(
      redisConnectUnixWithTimeout(server->socket_path().c_str(), tv));
  const context_ptr c(drive([&]() -> vinyl::task<redisContext *> {
    co_return co_await vinyl::redis::connect_unix_with_timeout(
        server->socket_path().c_str(), tv);
  }));
  ASSERT_TRUE(c && plain);
  ASSERT_EQ(c->err, 0) << c->errstr;
  ASSERT_TRUE(c->timeout);
  EXPECT_EQ(c->timeout->tv_usec, 250'000);
  const auto receive_timeout = [](const redisContext *of) {
    timeval got{};
    socklen_t len = sizeof got;
    ::getsockopt(of->fd, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
    return got.tv_sec * 1'000'000 + got.tv_usec;
  };
  EXPECT_EQ(receive_timeout(c.get()), receive_timeout(plain.get()));
  EXPECT_EQ(text_of(command(c.get(), "PING")), "PONG");
}

TEST_P(Redis, ReconnectsAfterTheServerDroppedTheConnection) {
  const context_ptr c = connect_unix();
  ASSERT_EQ(c->err, 0);
  kill_client_later(client_id(c.get()), 0ms).join();
  EXPECT_EQ(command(c.get(), "PING"), nullptr);
  EXPECT_NE(c->err, 0);
  const int r = drive([&]() -> vinyl::task<int> {
    co_return co_await vinyl::redis::reconnect(c.get());
  });
  ASSERT_EQ(r, REDIS_OK) << c->errstr;
  EXPECT_EQ(c->err, 0);
  EXPECT_EQ(text_of(command(c.get(), "PING")), "PONG");
}

// ---------------------------------------------------------------- commands

TEST_P(Redis, CommandFormatsItsArguments) {
  const context_ptr c = connect_unix();
  const std::string key = key_for("fmt", GetParam());
  const char value[] = "a b\0c"; // %b: binary-safe, with its length
  const reply_ptr set = drive([&]() -> vinyl::task<reply_ptr> {
    co_return reply_ptr(
        static_cast<redisReply *>(co_await vinyl::redis::command(
            c.get(), "SET %s %b", key.c_str(), value, sizeof value - 1)));
  });
  EXPECT_EQ(text_of(set), "OK");
  const reply_ptr incr = drive([&]() -> vinyl::task<reply_ptr> {
    co_return reply_ptr(
        static_cast<redisReply *>(co_await vinyl::redis::command(
            c.get(), "INCRBY n:%s %d", key.c_str(), 41)));
  });
  EXPECT_EQ(text_of(incr), "41");
  const reply_ptr got = plain_command(c.get(), ("GET " + key).c_str());
  ASSERT_TRUE(got);
  EXPECT_EQ(std::string(got->str, got->len), std::string(value, 5));
}

TEST_P(Redis, CommandArgvSendsEachArgumentWhole) {
  const context_ptr c = connect_unix();
  const std::string key = key_for("argv", GetParam());
  const std::string value(3, '\0');
  const char *argv[] = {"SET", key.c_str(), value.data()};
  const std::size_t lens[] = {3, key.size(), value.size()};
  const reply_ptr r = drive([&]() -> vinyl::task<reply_ptr> {
    co_return reply_ptr(static_cast<redisReply *>(
        co_await vinyl::redis::command_argv(c.get(), 3, argv, lens)));
  });
  EXPECT_EQ(text_of(r), "OK");
  EXPECT_EQ(text_of(plain_command(c.get(), "STRLEN " + key)), "3");
}

TEST_P(Redis, ErrorReplyIsAReplyNotAFailure) {
  const context_ptr c = connect_unix();
  const reply_ptr r = command(c.get(), "NOSUCHCOMMAND x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, REDIS_REPLY_ERROR);
  EXPECT_EQ(text_of(r).rfind("ERR unknown command", 0), 0u) << text_of(r);
  EXPECT_EQ(c->err, 0);
}

TEST_P(Redis, PipelinedRepliesComeInOrder) {
  const context_ptr c = connect_unix();
  const std::string key = key_for("pipe", GetParam());
  ASSERT_EQ(redisAppendCommand(c.get(), "DEL %s", key.c_str()), REDIS_OK);
  for (int i = 0; i != 3; ++i)
    ASSERT_EQ(redisAppendCommand(c.get(), "INCR %s", key.c_str()), REDIS_OK);
  std::vector<std::string> texts;
  const int status = drive([&]() -> vinyl::task<int> {
    for (int i = 0; i != 4; ++i) {
      void *reply = nullptr;
      if (co_await vinyl::redis::get_reply(c.get(), &reply) != REDIS_OK)
        co_return REDIS_ERR;
      texts.push_back(text_of(reply_ptr(static_cast<redisReply *>(reply))));
    }
    co_return REDIS_OK;
  });
  ASSERT_EQ(status, REDIS_OK) << c->errstr;
  EXPECT_EQ(texts, (std::vector<std::string>{"0", "1", "2", "3"}));
}

TEST_P(Redis, GetReplyWithNullFreesTheReply) {
  const context_ptr c = connect_unix();
  ASSERT_EQ(redisAppendCommand(c.get(), "PING"), REDIS_OK);
  const int status = drive([&]() -> vinyl::task<int> {
    co_return co_await vinyl::redis::get_reply(c.get(), nullptr);
  });
  EXPECT_EQ(status, REDIS_OK);
  EXPECT_EQ(text_of(command(c.get(), "PING")), "PONG");
}

// Several megabytes each way: more than a socket buffer, so the write goes
// out in parts as the server reads, and the reply comes in parts.
TEST_P(Redis, LargeValuesGoOutAndComeBackWhole) {
  const context_ptr c = connect_unix();
  const std::string key = key_for("big", GetParam());
  std::string value(8 << 20, 'x');
  for (std::size_t i = 0; i < value.size(); i += 4093)
    value[i] = static_cast<char>('a' + i % 26);
  const reply_ptr set = drive([&]() -> vinyl::task<reply_ptr> {
    co_return reply_ptr(
        static_cast<redisReply *>(co_await vinyl::redis::command(
            c.get(), "SET %s %b", key.c_str(), value.data(), value.size())));
  });
  EXPECT_EQ(text_of(set), "OK");
  const reply_ptr got = command(c.get(), "GET " + key);
  ASSERT_TRUE(got);
  EXPECT_TRUE(std::string(got->str, got->len) == value);
  // Each await left the socket as it found it: blocking.
  EXPECT_EQ(::fcntl(c->fd, F_GETFL) & O_NONBLOCK, 0);
  EXPECT_TRUE(c->flags & REDIS_BLOCK);
}

TEST_P(Redis, BufferWriteAndReadOnABlockingContext) {
  const context_ptr c = connect_unix();
  ASSERT_EQ(redisAppendCommand(c.get(), "ECHO %s", "buffered"), REDIS_OK);
  const std::string text = drive([&]() -> vinyl::task<std::string> {
    int done = 0;
    if (co_await vinyl::redis::buffer_write(c.get(), &done) != REDIS_OK ||
        !done)
      co_return "write failed";
    void *reply = nullptr;
    while (reply == nullptr) {
      if (co_await vinyl::redis::buffer_read(c.get()) != REDIS_OK)
        co_return "read failed";
      if (redisGetReplyFromReader(c.get(), &reply) != REDIS_OK)
        co_return "reader failed";
    }
    co_return text_of(reply_ptr(static_cast<redisReply *>(reply)));
  });
  EXPECT_EQ(text, "buffered") << c->errstr;
}

// A non-blocking context never waits: the calls are the plain ones, and
// redisCommand answers NULL with the command queued.
TEST_P(Redis, NonblockingContextGetsThePlainCalls) {
  const context_ptr c(redisConnectUnixNonBlock(server->socket_path().c_str()));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->err, 0);
  const reply_ptr r = command(c.get(), "PING");
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(c->err, 0);
  EXPECT_FALSE(c->flags & REDIS_BLOCK);
}

// ---------------------------------------------------------------- faults

// CLIENT KILL from another connection while BLPOP waits: the server closes
// the socket, and the command fails as the plain one does.
TEST_P(Redis, ServerClosingTheConnectionMidCommandFailsLikeRedisCommand) {
  failure plain;
  {
    const context_ptr c = plain_connect();
    std::thread killer = kill_client_later(client_id(c.get()), 100ms);
    EXPECT_EQ(plain_command(c.get(), "BLPOP never:plain 5"), nullptr);
    killer.join();
    plain = failure_of(c.get());
  }
  ASSERT_NE(plain.err, 0);
  const context_ptr c = connect_unix();
  std::thread killer = kill_client_later(client_id(c.get()), 100ms);
  EXPECT_EQ(command(c.get(), "BLPOP never:adapter 5"), nullptr);
  killer.join();
  EXPECT_EQ(failure_of(c.get()), plain);
  // A failed context answers at once from now on, in both modes.
  EXPECT_EQ(command(c.get(), "PING"), nullptr);
  EXPECT_EQ(failure_of(c.get()), plain);
}

// A context with a timeout (redisSetTimeout: the socket's SO_RCVTIMEO and
// SO_SNDTIMEO): a command that outlasts it fails with hiredis's own error
// for the blocking read's timeout.
TEST_P(Redis, ReadTimeoutFailsLikeRedisCommand) {
  const timeval tv{0, 100'000};
  failure plain;
  {
    const context_ptr c = plain_connect();
    ASSERT_EQ(redisSetTimeout(c.get(), tv), REDIS_OK);
    EXPECT_EQ(plain_command(c.get(), "BLPOP never:timeout 2"), nullptr);
    plain = failure_of(c.get());
  }
  ASSERT_NE(plain.err, 0);
  const context_ptr c = connect_unix();
  ASSERT_EQ(redisSetTimeout(c.get(), tv), REDIS_OK);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(command(c.get(), "BLPOP never:timeout 2"), nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_EQ(failure_of(c.get()), plain);
}

// ---------------------------------------------------------------- async

// Twenty connections each BLPOP a list of their own; one task then pushes
// to every list. Each BLPOP must have been sent before the first one
// returned, which a loop blocked in hiredis could not do.
TEST_P(AsyncRedis, BlockingPopsOnManyConnectionsWaitTogether) {
  constexpr int n = 20;
  const std::string prefix = key_for("many", GetParam()) + ":";
  std::vector<context_ptr> conns(n);
  std::vector<std::string> got(n);
  int waiting = 0;
  int first_done_at = -1;
  auto pop = [&](int i) -> vinyl::task<void> {
    const auto at = static_cast<std::size_t>(i);
    conns[at].reset(
        co_await vinyl::redis::connect_unix(server->socket_path().c_str()));
    ++waiting;
    const reply_ptr r(static_cast<redisReply *>(co_await vinyl::redis::command(
        conns[at].get(), "BLPOP %s%d 5", prefix.c_str(), i)));
    if (first_done_at < 0)
      first_done_at = waiting;
    got[at] = r && r->type == REDIS_REPLY_ARRAY && r->elements == 2
                  ? std::string(r->element[1]->str, r->element[1]->len)
                  : "failed: " + failure_of(conns[at].get()).errstr;
  };
  auto push_all = [&]() -> vinyl::task<void> {
    const context_ptr c(
        co_await vinyl::redis::connect_unix(server->socket_path().c_str()));
    // All poppers blocked on the server: CLIENT LIST shows them.
    for (int tries = 0; tries != 500; ++tries) {
      const reply_ptr blocked(static_cast<redisReply *>(
          co_await vinyl::redis::command(c.get(), "INFO clients")));
      const std::string info = text_of(blocked);
      if (info.find("blocked_clients:" + std::to_string(n)) !=
          std::string::npos)
        break;
      co_await vinyl::io::sleep_for(5ms);
    }
    for (int i = 0; i != n; ++i)
      reply_ptr(static_cast<redisReply *>(co_await vinyl::redis::command(
          c.get(), "RPUSH %s%d v%d", prefix.c_str(), i, i)));
  };
  auto body = [&]() -> vinyl::task<void> {
    std::vector<vinyl::join_handle> handles;
    for (int i = 0; i != n; ++i)
      handles.push_back(vinyl::spawn(pop, i));
    handles.push_back(vinyl::spawn(push_all));
    for (auto &h : handles)
      co_await h.join();
  };
  vinyl::run(body());
  EXPECT_EQ(first_done_at, n);
  for (int i = 0; i != n; ++i)
    EXPECT_EQ(got[static_cast<std::size_t>(i)], "v" + std::to_string(i));
}

// A task ticking every 5 ms meanwhile ticks many times before a 0.3 s
// BLPOP times out; a loop blocked in hiredis would not resume it.
TEST_P(AsyncRedis, LoopKeepsServingOtherTasksDuringABlockingPop) {
  const context_ptr c = connect_unix();
  ASSERT_EQ(c->err, 0);
  int ticks = 0;
  int ticks_when_done = -1;
  bool done = false;
  std::string text;
  auto pop = [&]() -> vinyl::task<int> {
    const reply_ptr r(static_cast<redisReply *>(
        co_await vinyl::redis::command(c.get(), "BLPOP never:ticks 0.3")));
    ticks_when_done = ticks;
    done = true;
    text = text_of(r);
    co_return 0;
  };
  vinyl::block_on(
      vinyl::when_all(pop(), tick_until(done, 5ms, [&] { ++ticks; })));
  EXPECT_EQ(text, "<nil>"); // the timeout's reply
  EXPECT_GE(ticks_when_done, 3);
}

} // namespace
