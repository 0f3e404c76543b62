// The GoogleTest suite of sessions::Store, against a redis-server of its
// own (vinyl_test::redis_server, started once for the suite; every test
// keeps its keys under a prefix of its own). Round trips of each
// operation, expiry, pipelines, many sessions, two stores on one server,
// and the faults: a connection refused, the server closing the connection
// while a command waits, a read that times out, error replies, and no
// descriptor left open after them. The store is used only through its
// public header; plain hiredis calls appear only to make the faults (an
// administrator's connection) and to know the text hiredis gives.
#include "sessions/store.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "redis_server.hpp"

namespace {

using namespace std::chrono_literals;
using sessions::Options;
using sessions::Store;
using sessions::StoreError;
using Clock = std::chrono::steady_clock;

// hiredis writes with write(2): a server gone away must give an error, not
// a SIGPIPE that ends the process.
const bool sigpipe_ignored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

int open_descriptors() {
  int n = 0;
  for ([[maybe_unused]] const auto &entry :
       std::filesystem::directory_iterator("/proc/self/fd"))
    ++n;
  return n;
}

// The user of a session, "(none)" if there is no such session.
std::string user_of(Store &store, const std::string &id) {
  const auto session = store.lookup(id);
  return session ? session->user : "(none)";
}

// A plain hiredis connection, for what the store does not do.
class Admin {
public:
  explicit Admin(const std::string &socket)
      : c_(redisConnectUnix(socket.c_str())) {
    if (c_ == nullptr || c_->err)
      throw std::runtime_error("admin connection failed");
  }
  ~Admin() { redisFree(c_); }
  Admin(const Admin &) = delete;
  Admin &operator=(const Admin &) = delete;

  // The reply as text: a string, a status, an error or an integer.
  std::string run(const std::vector<std::string> &args) {
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const std::string &arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    auto *reply = static_cast<redisReply *>(redisCommandArgv(
        c_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (reply == nullptr)
      throw std::runtime_error(c_->errstr);
    std::string text = reply->type == REDIS_REPLY_INTEGER
                           ? std::to_string(reply->integer)
                       : reply->str ? std::string(reply->str, reply->len)
                                    : std::string();
    freeReplyObject(reply);
    return text;
  }

private:
  redisContext *c_;
};

class StoreTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server_ = new vinyl_test::redis_server(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  // Options for this test's keys on the suite's server.
  static Options options() {
    Options options;
    options.unix_socket = server_->socket_path();
    options.prefix = prefix();
    return options;
  }

  static Options tcp_options() {
    Options options;
    options.port = server_->port();
    options.prefix = prefix();
    return options;
  }

  static std::string prefix() {
    return std::string(::testing::UnitTest::GetInstance()
                           ->current_test_info()
                           ->name()) +
           ":";
  }

  static vinyl_test::redis_server *server_;
};

vinyl_test::redis_server *StoreTest::server_ = nullptr;

TEST_F(StoreTest, PingOverUnixSocketAndTcp) {
  Store unix_store(options());
  EXPECT_NO_THROW(unix_store.ping());
  Store tcp_store(tcp_options());
  EXPECT_NO_THROW(tcp_store.ping());
  EXPECT_NE(unix_store.client_id(), tcp_store.client_id());
}

TEST_F(StoreTest, CreateThenLookup) {
  Store store(options());
  const std::string id = store.create("alice", 60s);
  EXPECT_EQ(id.size(), 32u);
  const auto session = store.lookup(id);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->id, id);
  EXPECT_EQ(session->user, "alice");
  EXPECT_GT(session->ttl_left, 0s);
  EXPECT_LE(session->ttl_left, 60s);
  Admin admin(server_->socket_path());
  EXPECT_EQ(admin.run({"GET", prefix() + "session:" + id}), "alice");
  EXPECT_EQ(admin.run({"SISMEMBER", prefix() + "user:alice:sessions", id}),
            "1");
}

TEST_F(StoreTest, LookupOfUnknownIdIsEmpty) {
  Store store(options());
  EXPECT_FALSE(store.lookup("no-such-session").has_value());
}

TEST_F(StoreTest, UserNamesAreBinarySafe) {
  Store store(options());
  const std::string user("ann o'neil\0\xff %s", 16);
  const std::string id = store.create(user, 60s);
  const auto session = store.lookup(id);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->user, user);
  EXPECT_EQ(store.count_active(user), 1u);
}

TEST_F(StoreTest, TouchGivesANewTimeToLive) {
  Store store(options());
  const std::string id = store.create("bob", 10s);
  EXPECT_TRUE(store.touch(id, 1000s));
  const auto session = store.lookup(id);
  ASSERT_TRUE(session.has_value());
  EXPECT_GT(session->ttl_left, 900s);
  EXPECT_FALSE(store.touch("no-such-session", 10s));
}

TEST_F(StoreTest, DestroyEndsOneSession) {
  Store store(options());
  const std::string gone = store.create("carol", 60s);
  const std::string kept = store.create("carol", 60s);
  EXPECT_NE(gone, kept);
  EXPECT_TRUE(store.destroy(gone));
  // Gone from the user's set too, not left for count_active to find.
  Admin admin(server_->socket_path());
  EXPECT_EQ(admin.run({"SCARD", prefix() + "user:carol:sessions"}), "1");
  EXPECT_FALSE(store.lookup(gone).has_value());
  EXPECT_TRUE(store.lookup(kept).has_value());
  EXPECT_FALSE(store.destroy(gone));
  EXPECT_EQ(store.count_active("carol"), 1u);
}

TEST_F(StoreTest, DestroyAllOfOneUser) {
  Store store(options());
  std::vector<std::string> dave;
  for (int i = 0; i < 3; ++i)
    dave.push_back(store.create("dave", 60s));
  const std::string erin = store.create("erin", 60s);
  EXPECT_EQ(store.destroy_all_of("dave"), 3u);
  for (const std::string &id : dave)
    EXPECT_FALSE(store.lookup(id).has_value());
  EXPECT_EQ(store.count_active("dave"), 0u);
  EXPECT_TRUE(store.lookup(erin).has_value());
  EXPECT_EQ(store.destroy_all_of("dave"), 0u);
  EXPECT_EQ(store.destroy_all_of("nobody"), 0u);
}

// The only test that waits for Redis's clock: a 1 s session next to a
// long one, 1.1 s later.
TEST_F(StoreTest, SessionsExpireAndAreForgotten) {
  Store store(options());
  const std::string brief = store.create("frank", 1s);
  const std::string lasting = store.create("frank", 60s);
  EXPECT_EQ(store.count_active("frank"), 2u);
  std::this_thread::sleep_for(1100ms);
  EXPECT_FALSE(store.lookup(brief).has_value());
  EXPECT_FALSE(store.touch(brief, 60s));
  EXPECT_EQ(store.count_active("frank"), 1u);
  Admin admin(server_->socket_path());
  EXPECT_EQ(admin.run({"SCARD", prefix() + "user:frank:sessions"}), "1");
  EXPECT_EQ(store.destroy_all_of("frank"), 1u);
  (void)lasting;
}

TEST_F(StoreTest, CreateDrawsAnotherIdWhenOneIsTaken) {
  Options taken = options();
  std::vector<std::string> ids = {"same", "same", "same", "other"};
  std::size_t next = 0;
  taken.id_source = [&] { return ids.at(next++); };
  Store store(std::move(taken));
  EXPECT_EQ(store.create("gina", 60s), "same");
  EXPECT_EQ(store.create("hank", 60s), "other");
  EXPECT_EQ(next, 4u);
  EXPECT_EQ(user_of(store, "same"), "gina");
  EXPECT_EQ(user_of(store, "other"), "hank");
}

TEST_F(StoreTest, CreateGivesUpAfterFiveTakenIds) {
  Options taken = options();
  int drawn = 0;
  taken.id_source = [&] {
    ++drawn;
    return std::string("fixed");
  };
  Store store(std::move(taken));
  store.create("ivan", 60s);
  drawn = 0;
  try {
    store.create("jane", 60s);
    FAIL() << "create should have thrown";
  } catch (const StoreError &e) {
    EXPECT_STREQ(e.what(), "sessions: no free session id after 5 attempts");
  }
  EXPECT_EQ(drawn, 5);
  EXPECT_EQ(user_of(store, "fixed"), "ivan");
}

TEST_F(StoreTest, TimeToLiveMustBeAtLeastOneSecond) {
  Store store(options());
  EXPECT_THROW(store.create("kate", 0s), std::invalid_argument);
  const std::string id = store.create("kate", 5s);
  EXPECT_THROW(store.touch(id, -1s), std::invalid_argument);
}

TEST_F(StoreTest, ManySessions) {
  Store store(options());
  std::set<std::string> ids;
  for (int i = 0; i < 400; ++i)
    ids.insert(store.create(i % 4 == 0 ? "lena" : "mike", 60s));
  EXPECT_EQ(ids.size(), 400u);
  for (const std::string &id : ids)
    ASSERT_TRUE(store.lookup(id).has_value()) << id;
  EXPECT_EQ(store.count_active("lena"), 100u);
  EXPECT_EQ(store.count_active("mike"), 300u);
  EXPECT_EQ(store.destroy_all_of("mike"), 300u);
  EXPECT_EQ(store.count_active("lena"), 100u);
  EXPECT_EQ(store.count_active("mike"), 0u);
}

TEST_F(StoreTest, TwoStoresOnOneServer) {
  Store web(options());
  Store worker(tcp_options());
  const std::string id = web.create("nina", 60s);
  ASSERT_TRUE(worker.lookup(id).has_value());
  EXPECT_EQ(user_of(worker, id), "nina");
  EXPECT_TRUE(worker.destroy(id));
  EXPECT_FALSE(web.lookup(id).has_value());

  Options other_app = options();
  other_app.prefix = prefix() + "other:";
  Store other(std::move(other_app));
  const std::string mine = web.create("oscar", 60s);
  EXPECT_FALSE(other.lookup(mine).has_value());
  EXPECT_EQ(other.count_active("oscar"), 0u);
  EXPECT_EQ(web.count_active("oscar"), 1u);
}

TEST_F(StoreTest, EventsComeOutInOrder) {
  Store store(options());
  store.publish("login alice");
  store.publish(std::string("binary\0event", 12));
  EXPECT_EQ(store.next_event(1), "login alice");
  EXPECT_EQ(store.next_event(1), std::string("binary\0event", 12));
  const auto start = Clock::now();
  EXPECT_EQ(store.next_event(1), std::nullopt);
  EXPECT_GE(Clock::now() - start, 900ms);
}

TEST_F(StoreTest, NextEventWaitsForAnotherStore) {
  Store waiter(options());
  waiter.ping();
  std::thread publisher([] {
    std::this_thread::sleep_for(100ms);
    Store store(options());
    store.publish("logout bob");
  });
  const auto start = Clock::now();
  const auto event = waiter.next_event(5);
  publisher.join();
  EXPECT_EQ(event, "logout bob");
  EXPECT_LT(Clock::now() - start, 2s);
}

TEST_F(StoreTest, ErrorRepliesAreThrownAndTheStoreGoesOn) {
  Store store(options());
  Admin admin(server_->socket_path());
  admin.run({"SET", prefix() + "user:paul:sessions", "not a set"});
  admin.run({"SADD", prefix() + "session:wrong", "x"});
  const std::string wrongtype =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  try {
    store.count_active("paul");
    FAIL() << "count_active should have thrown";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.what(), wrongtype);
  }
  try {
    store.lookup("wrong");
    FAIL() << "lookup should have thrown";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.what(), wrongtype);
  }
  // Both replies of the pipeline were read: the next command gets its own.
  const std::string id = store.create("quinn", 60s);
  EXPECT_EQ(user_of(store, id), "quinn");
}

TEST_F(StoreTest, ConnectionRefused) {
  const int port = vinyl_test::redis_server::closed_port();
  redisContext *plain = redisConnect("127.0.0.1", port);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(plain->err, 0);
  const std::string expected = plain->errstr;
  redisFree(plain);
  EXPECT_EQ(expected, "Connection refused");

  Options refused;
  refused.port = port;
  Store store(std::move(refused));
  try {
    store.create("rita", 60s);
    FAIL() << "create should have thrown";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.what(), expected);
  }
  // Still refused on the next call: it tries again.
  EXPECT_THROW(store.ping(), StoreError);
}

TEST_F(StoreTest, NoSuchUnixSocket) {
  const std::string path = server_->socket_path() + ".missing";
  redisContext *plain = redisConnectUnix(path.c_str());
  ASSERT_NE(plain, nullptr);
  const std::string expected = plain->errstr;
  redisFree(plain);
  EXPECT_EQ(expected, "No such file or directory");

  Options missing;
  missing.unix_socket = path;
  Store store(std::move(missing));
  try {
    store.ping();
    FAIL() << "ping should have thrown";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.what(), expected);
  }
}

// The server closes the connection while BLPOP waits (CLIENT KILL from an
// administrator's connection): the error hiredis gives, at once, and the
// next call connects again.
TEST_F(StoreTest, ServerClosesTheConnectionWhileWaiting) {
  Store store(options());
  const long long id = store.client_id();
  std::thread killer([id] {
    std::this_thread::sleep_for(100ms);
    Admin admin(server_->socket_path());
    admin.run({"CLIENT", "KILL", "ID", std::to_string(id)});
  });
  const auto start = Clock::now();
  try {
    store.next_event(5);
    ADD_FAILURE() << "next_event should have thrown";
  } catch (const StoreError &e) {
    EXPECT_STREQ(e.what(), "Server closed the connection");
  }
  killer.join();
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_NO_THROW(store.ping());
  EXPECT_NE(store.client_id(), id);
}

// A read timeout of 100 ms: BLPOP of 2 s fails after the timeout with
// hiredis's text, and the store is usable again after.
TEST_F(StoreTest, ReadTimesOut) {
  Options quick = options();
  quick.timeout = 100ms;
  Store store(std::move(quick));
  store.ping();
  const auto start = Clock::now();
  try {
    store.next_event(2);
    ADD_FAILURE() << "next_event should have thrown";
  } catch (const StoreError &e) {
    EXPECT_STREQ(e.what(), "Resource temporarily unavailable");
  }
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, 90ms);
  EXPECT_LT(waited, 1s);
  const std::string id = store.create("tess", 60s);
  EXPECT_EQ(user_of(store, id), "tess");
}

// Stores made, failed every way above and destroyed leave no descriptor.
TEST_F(StoreTest, NoDescriptorLeftOpen) {
  Store(options()).ping(); // whatever a first call sets up once
  const int before = open_descriptors();
  {
    Options refused;
    refused.port = vinyl_test::redis_server::closed_port();
    Store store(std::move(refused));
    EXPECT_THROW(store.ping(), StoreError);
  }
  {
    Options quick = options();
    quick.timeout = 100ms;
    Store store(std::move(quick));
    store.create("sam", 60s);
    const long long id = store.client_id();
    Admin(server_->socket_path())
        .run({"CLIENT", "KILL", "ID", std::to_string(id)});
    EXPECT_THROW(store.ping(), StoreError);
    store.ping();
    EXPECT_THROW(store.next_event(1), StoreError);
  }
  EXPECT_EQ(open_descriptors(), before);
}

} // namespace
