// sessions::Store: a web application's login sessions, kept in Redis
// through hiredis. A session is a key `<prefix>session:<id>` holding the
// user name with a time to live; each user's session ids are also kept in
// a set, `<prefix>user:<name>:sessions`, so that "log out everywhere" and
// "how many devices" need no scan. Events (logins, logouts, whatever the
// application publishes) go to a list that workers pop with a timeout.
//
// The store connects on first use and, after a connection error, drops the
// connection and connects again on the next call. Every failure is thrown
// as a StoreError whose what() is hiredis's own text (c->errstr) or the
// server's error reply. Not thread-safe: one Store per thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct redisContext;

namespace sessions {

class StoreError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Options {
  // A Unix socket path; when empty the store connects to host:port.
  std::string unix_socket;
  std::string host = "127.0.0.1";
  int port = 6379;
  // The longest any one read or write on the connection may wait
  // (redisSetTimeout), also the TCP connect timeout; zero waits forever.
  std::chrono::milliseconds timeout{0};
  // Put in front of every key, so that applications can share a server.
  std::string prefix;
  // Where new session ids come from; empty: 32 random hex digits.
  std::function<std::string()> id_source;
};

struct Session {
  std::string id;
  std::string user;
  // Time to live left; -1 s if the session never expires.
  std::chrono::seconds ttl_left{0};
};

class Store {
public:
  explicit Store(Options options);
  ~Store();
  Store(const Store &) = delete;
  Store &operator=(const Store &) = delete;

  // Checks that the server answers (connecting if needed).
  void ping();

  // Opens a session for user that expires after ttl (at least 1 s);
  // returns its new id.
  std::string create(const std::string &user, std::chrono::seconds ttl);

  // The session with this id, if it exists and has not expired.
  std::optional<Session> lookup(const std::string &id);

  // Gives the session a new time to live; false if it no longer exists.
  bool touch(const std::string &id, std::chrono::seconds ttl);

  // Ends one session; false if it did not exist.
  bool destroy(const std::string &id);

  // Ends every session of user; returns how many were still alive.
  std::size_t destroy_all_of(const std::string &user);

  // How many sessions of user are alive; forgets the expired ones.
  std::size_t count_active(const std::string &user);

  // Appends an event to the event list.
  void publish(const std::string &event);

  // The oldest event, waiting up to timeout_seconds for one (0: forever);
  // nothing if none came.
  std::optional<std::string> next_event(int timeout_seconds);

  // This connection's id on the server (CLIENT ID), for diagnostics.
  long long client_id();

private:
  redisContext *connection();
  void disconnect() noexcept;
  std::string new_id();
  std::string session_key(const std::string &id) const;
  std::string user_key(const std::string &user) const;
  std::string events_key() const;

  Options options_;
  redisContext *context_ = nullptr;
};

} // namespace sessions
