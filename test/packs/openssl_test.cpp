// Tests of vinyl::ssl, the OpenSSL adapter, over TLS connections on
// 127.0.0.1 to servers (or clients) running plain blocking OpenSSL on
// threads of their own, with a self-signed certificate made in memory when
// the process starts. Every call runs in blocking mode and in async mode on
// both backends, and must give what the plain OpenSSL call gives: the
// return value, SSL_get_error, the error queue's first entry and errno,
// compared with the plain call's own outcome for the faults (a peer that
// closes the connection, socket timeouts). In async mode, reads on many
// connections must wait together and the loop must keep serving its other
// tasks while one waits: both are checked by the order of events, which a
// loop blocked in OpenSSL could not produce.
#include "../runtime/test_support.hpp"

#include <vinyl/openssl.hpp>
#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <memory>
#include <mutex>
#include <ostream>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <cerrno>

#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;

// OpenSSL's socket BIO writes with write(2): a write to a connection the
// peer closed would end the process.
[[maybe_unused]] const bool sigpipe_ignored =
    std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;

template <class F> auto drive(F &&body) { return vinyl::block_on(body()); }

// ------------------------------------------------------------ certificates

// A P-256 key and a certificate for "localhost" it signs itself, made once.
struct identity {
  EVP_PKEY *key;
  X509 *cert;
};

const identity &test_identity() {
  static const identity id = [] {
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    if (key == nullptr || cert == nullptr)
      throw std::runtime_error("cannot make a key and a certificate");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC,
        reinterpret_cast<const unsigned char *>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    if (X509_sign(cert, key, EVP_sha256()) <= 0)
      throw std::runtime_error("cannot sign the certificate");
    return identity{key, cert};
  }();
  return id;
}

SSL_CTX *server_ctx() {
  static SSL_CTX *const ctx = [] {
    SSL_CTX *c = SSL_CTX_new(TLS_server_method());
    if (c == nullptr || SSL_CTX_use_certificate(c, test_identity().cert) != 1 ||
        SSL_CTX_use_PrivateKey(c, test_identity().key) != 1)
      throw std::runtime_error("cannot make the server's context");
    return c;
  }();
  return ctx;
}

// A client that trusts the test certificate alone and checks the name.
SSL_CTX *client_ctx() {
  static SSL_CTX *const ctx = [] {
    SSL_CTX *c = SSL_CTX_new(TLS_client_method());
    if (c == nullptr || X509_STORE_add_cert(SSL_CTX_get_cert_store(c),
                                            test_identity().cert) != 1)
      throw std::runtime_error("cannot make the client's context");
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
    return c;
  }();
  return ctx;
}

struct ssl_deleter {
  void operator()(SSL *s) const { SSL_free(s); }
};
using ssl_ptr = std::unique_ptr<SSL, ssl_deleter>;

ssl_ptr client_on(int fd) {
  ssl_ptr s(SSL_new(client_ctx()));
  SSL_set_fd(s.get(), fd);
  SSL_set1_host(s.get(), "localhost");
  return s;
}

ssl_ptr server_on(int fd) {
  ssl_ptr s(SSL_new(server_ctx()));
  SSL_set_fd(s.get(), fd);
  return s;
}

// ------------------------------------------------------------ connections

// Both ends of a TCP connection on 127.0.0.1, blocking sockets.
struct connection {
  fd_closer client;
  fd_closer server;
};

connection connect_pair() {
  sockaddr_in addr{};
  const fd_closer listener = bound_socket(SOCK_STREAM, addr);
  fd_closer client(::socket(AF_INET, SOCK_STREAM, 0));
  if (::listen(listener.get(), 1) != 0 ||
      ::connect(client.get(), as_sockaddr(addr), sizeof addr) != 0)
    throw std::runtime_error(std::strerror(errno));
  fd_closer server(::accept(listener.get(), nullptr, nullptr));
  if (server.get() < 0)
    throw std::runtime_error(std::strerror(errno));
  return {std::move(client), std::move(server)};
}

// Runs script(ssl) on a thread of its own after a plain SSL_accept on fd.
// The thread is joined when the handle goes (before the descriptors close).
template <class F> std::jthread serve(int fd, F script) {
  return std::jthread([fd, script]() mutable {
    const ssl_ptr s = server_on(fd);
    if (SSL_accept(s.get()) == 1)
      script(s.get());
    ERR_clear_error();
  });
}

// Plain blocking helpers for the peers.
std::string plain_read(SSL *s, std::size_t n) {
  std::string got;
  char buf[16384];
  while (got.size() < n) {
    const int r = SSL_read(s, buf, static_cast<int>(sizeof buf));
    if (r <= 0)
      break;
    got.append(buf, static_cast<std::size_t>(r));
  }
  return got;
}

void echo_until_closed(SSL *s) {
  char buf[16384];
  for (int r; (r = SSL_read(s, buf, static_cast<int>(sizeof buf))) > 0;)
    if (SSL_write(s, buf, r) != r)
      return;
  SSL_shutdown(s);
}

void set_timeout(int fd, int option, std::chrono::microseconds t) {
  const timeval tv{static_cast<time_t>(t.count() / 1'000'000),
                   static_cast<suseconds_t>(t.count() % 1'000'000)};
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

bool nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }

// What a call left behind, for comparing the modes.
struct outcome {
  int ret;
  int error;            // SSL_get_error(ssl, ret)
  unsigned long queued; // ERR_peek_error()
  int sys_errno;
  bool operator==(const outcome &) const = default;
};

void PrintTo(const outcome &o, std::ostream *os) {
  *os << "ret " << o.ret << ", SSL_get_error " << o.error << ", queue "
      << o.queued << " (" << ERR_reason_error_string(o.queued) << "), errno "
      << o.sys_errno;
}

// Taken right after the call; the error queue is emptied after, as a
// program does before its next TLS call.
outcome outcome_of(SSL *s, int ret, int sys_errno) {
  const outcome o{ret, SSL_get_error(s, ret), ERR_peek_error(), sys_errno};
  ERR_clear_error();
  return o;
}

class Tls : public with_io_config {
protected:
  void SetUp() override {
    with_io_config::SetUp();
    ERR_clear_error();
    (void)test_identity();
  }
};

INSTANTIATE_TEST_SUITE_P(Modes, Tls,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncTls : public Tls {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncTls,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

// ------------------------------------------------------------ handshakes

TEST_P(Tls, ConnectCompletesTheHandshake) {
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), echo_until_closed);
  const ssl_ptr s = client_on(c.client.get());
  const int r = drive([&]() -> vinyl::task<int> {
    co_return co_await vinyl::ssl::connect(s.get());
  });
  ASSERT_EQ(r, 1) << ERR_reason_error_string(ERR_peek_error());
  EXPECT_TRUE(SSL_is_init_finished(s.get()));
  EXPECT_EQ(SSL_get_verify_result(s.get()), X509_V_OK);
  EXPECT_EQ(ERR_peek_error(), 0u);
  // The await left the socket as it found it: blocking.
  EXPECT_FALSE(nonblocking(c.client.get()));
  SSL_shutdown(s.get());
}

TEST_P(Tls, DoHandshakeInTheConnectState) {
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), echo_until_closed);
  const ssl_ptr s = client_on(c.client.get());
  SSL_set_connect_state(s.get());
  const int r = drive([&]() -> vinyl::task<int> {
    co_return co_await vinyl::ssl::do_handshake(s.get());
  });
  ASSERT_EQ(r, 1) << ERR_reason_error_string(ERR_peek_error());
  EXPECT_TRUE(SSL_is_init_finished(s.get()));
  SSL_shutdown(s.get());
}

// A server certificate the client does not trust fails the handshake as
// SSL_connect fails it.
TEST_P(Tls, UntrustedCertificateFailsLikeSslConnect) {
  const auto attempt = [](bool adapter) {
    const connection c = connect_pair();
    const std::jthread server = serve(c.server.get(), echo_until_closed);
    ssl_ptr s(SSL_new(client_ctx()));
    SSL_set_fd(s.get(), c.client.get());
    SSL_set1_host(s.get(), "not-localhost");
    if (!adapter) {
      const int r = SSL_connect(s.get());
      return outcome_of(s.get(), r, errno);
    }
    return drive([&]() -> vinyl::task<outcome> {
      const int r = co_await vinyl::ssl::connect(s.get());
      co_return outcome_of(s.get(), r, errno);
    });
  };
  const outcome plain = attempt(false);
  ASSERT_EQ(plain.error, SSL_ERROR_SSL);
  EXPECT_EQ(attempt(true), plain);
}

// The awaitable server, a plain client on a thread: accept, read, write,
// and the client's close_notify read as the end of the data.
TEST_P(Tls, AcceptServesAPlainClient) {
  const connection c = connect_pair();
  std::string client_got;
  int client_end = -2;
  std::jthread client([&] {
    const ssl_ptr s = client_on(c.client.get());
    if (SSL_connect(s.get()) != 1)
      return;
    SSL_write(s.get(), "hello", 5);
    client_got = plain_read(s.get(), 5);
    SSL_shutdown(s.get());
    char byte;
    client_end = SSL_read(s.get(), &byte, 1);
    ERR_clear_error();
  });
  const ssl_ptr s = server_on(c.server.get());
  struct result {
    int accepted, got_error, end, end_error, shut;
    std::string got;
  };
  const result r = drive([&]() -> vinyl::task<result> {
    result out{};
    out.accepted = co_await vinyl::ssl::accept(s.get());
    char buf[64];
    const int n = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
    out.got_error = SSL_get_error(s.get(), n);
    if (n > 0)
      out.got.assign(buf, static_cast<std::size_t>(n));
    co_await vinyl::ssl::write(s.get(), "HELLO", 5);
    out.end = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
    out.end_error = SSL_get_error(s.get(), out.end);
    out.shut = co_await vinyl::ssl::shutdown(s.get());
    co_return out;
  });
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.got_error, SSL_ERROR_NONE);
  EXPECT_EQ(r.got, "hello");
  EXPECT_EQ(r.end, 0);
  EXPECT_EQ(r.end_error, SSL_ERROR_ZERO_RETURN);
  EXPECT_EQ(r.shut, 1); // the client's close_notify had come already
  EXPECT_FALSE(nonblocking(c.server.get()));
  // Joined here, before the checks of what the client saw.
  client.join();
  EXPECT_EQ(client_got, "HELLO");
  EXPECT_EQ(client_end, 0);
}

// ------------------------------------------------------------ data

TEST_P(Tls, EchoRoundTrips) {
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), echo_until_closed);
  const ssl_ptr s = client_on(c.client.get());
  const std::string failure = drive([&]() -> vinyl::task<std::string> {
    if (co_await vinyl::ssl::connect(s.get()) != 1)
      co_return "connect failed";
    char buf[256];
    for (int i = 0; i != 100; ++i) {
      const std::string line = "line " + std::to_string(i);
      const int n = static_cast<int>(line.size());
      if (co_await vinyl::ssl::write(s.get(), line.data(), n) != n)
        co_return "write failed at " + std::to_string(i);
      const int got = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
      if (got <= 0 || std::string(buf, static_cast<std::size_t>(got)) != line)
        co_return "read failed at " + std::to_string(i);
    }
    for (int i = 0; i != 10; ++i) {
      const std::string line = "ex " + std::to_string(i);
      std::size_t written = 0, got_bytes = 0;
      if (co_await vinyl::ssl::write_ex(s.get(), line.data(), line.size(),
                                        &written) != 1 ||
          written != line.size())
        co_return "write_ex failed at " + std::to_string(i);
      // peek leaves the data for the read after it.
      const int peeked = co_await vinyl::ssl::peek(s.get(), buf, 2);
      if (peeked != 2 || std::string(buf, 2) != line.substr(0, 2))
        co_return "peek failed at " + std::to_string(i);
      std::size_t peeked_ex = 0;
      if (co_await vinyl::ssl::peek_ex(s.get(), buf, 1, &peeked_ex) != 1 ||
          peeked_ex != 1)
        co_return "peek_ex failed at " + std::to_string(i);
      const int ret =
          co_await vinyl::ssl::read_ex(s.get(), buf, sizeof buf, &got_bytes);
      if (ret != 1 || std::string(buf, got_bytes) != line)
        co_return "read_ex failed at " + std::to_string(i) + ": " +
            std::to_string(ret) + " " + std::to_string(got_bytes);
    }
    co_return "";
  });
  EXPECT_EQ(failure, "");
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_FALSE(nonblocking(c.client.get()));
  SSL_shutdown(s.get());
}

// 4 MB in one SSL_write: some 256 records, more than the socket buffers
// take while the server reads, so the write goes out in parts; then read
// back in parts.
TEST_P(Tls, LargeWriteAndReadGoThroughWhole) {
  constexpr std::size_t size = 4 << 20;
  std::string data(size, 'x');
  for (std::size_t i = 0; i < size; i += 4093)
    data[i] = static_cast<char>('a' + i % 26);
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), [](SSL *s) {
    const std::string got = plain_read(s, size);
    std::size_t written = 0;
    SSL_write_ex(s, got.data(), got.size(), &written);
    SSL_shutdown(s);
  });
  const ssl_ptr s = client_on(c.client.get());
  struct result {
    int written;
    std::string back;
  };
  const result r = drive([&]() -> vinyl::task<result> {
    result out{-2, {}};
    if (co_await vinyl::ssl::connect(s.get()) != 1)
      co_return out;
    out.written = co_await vinyl::ssl::write(s.get(), data.data(),
                                             static_cast<int>(data.size()));
    std::vector<char> buf(1 << 16);
    while (out.back.size() < size) {
      const int n = co_await vinyl::ssl::read(s.get(), buf.data(),
                                              static_cast<int>(buf.size()));
      if (n <= 0)
        break;
      out.back.append(buf.data(), static_cast<std::size_t>(n));
    }
    co_return out;
  });
  EXPECT_EQ(r.written, static_cast<int>(size));
  EXPECT_EQ(r.back.size(), size);
  EXPECT_TRUE(r.back == data);
  EXPECT_FALSE(nonblocking(c.client.get()));
}

// ------------------------------------------------------------ shutdown

// The client closes first: 0 once its close_notify is out, then 1 once the
// server's has come back.
TEST_P(Tls, ShutdownFromTheClient) {
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), echo_until_closed);
  const ssl_ptr s = client_on(c.client.get());
  const std::vector<int> steps = drive([&]() -> vinyl::task<std::vector<int>> {
    std::vector<int> out;
    out.push_back(co_await vinyl::ssl::connect(s.get()));
    out.push_back(co_await vinyl::ssl::shutdown(s.get()));
    out.push_back(co_await vinyl::ssl::shutdown(s.get()));
    co_return out;
  });
  EXPECT_EQ(steps, (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(SSL_get_shutdown(s.get()),
            SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
}

// The server closes first: the client reads what came before the
// close_notify, then 0 with SSL_ERROR_ZERO_RETURN, and its shutdown
// completes at once.
TEST_P(Tls, ShutdownFromTheServer) {
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), [](SSL *s) {
    SSL_write(s, "bye", 3);
    if (SSL_shutdown(s) == 0) {
      char byte;
      SSL_read(s, &byte, 1); // the client's close_notify
    }
  });
  const ssl_ptr s = client_on(c.client.get());
  struct result {
    std::string got;
    int end, end_error, shut;
  };
  const result r = drive([&]() -> vinyl::task<result> {
    result out{{}, -2, -2, -2};
    if (co_await vinyl::ssl::connect(s.get()) != 1)
      co_return out;
    char buf[16];
    const int n = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
    if (n > 0)
      out.got.assign(buf, static_cast<std::size_t>(n));
    out.end = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
    out.end_error = SSL_get_error(s.get(), out.end);
    out.shut = co_await vinyl::ssl::shutdown(s.get());
    co_return out;
  });
  EXPECT_EQ(r.got, "bye");
  EXPECT_EQ(r.end, 0);
  EXPECT_EQ(r.end_error, SSL_ERROR_ZERO_RETURN);
  EXPECT_EQ(r.shut, 1);
}

// ------------------------------------------------------------ faults

// The server sends a last record and closes the TCP connection without a
// close_notify while the client waits in a read: the record is read, then
// the read fails as SSL_read does (OpenSSL 3's unexpected EOF).
TEST_P(Tls, PeerClosingMidReadFailsLikeSslRead) {
  const auto script = [](SSL *s) {
    std::this_thread::sleep_for(50ms);
    SSL_write(s, "last words", 10);
    std::this_thread::sleep_for(50ms);
    ::shutdown(SSL_get_fd(s), SHUT_RDWR);
  };
  struct result {
    std::string got;
    outcome end;
  };
  const auto attempt = [&](bool adapter) {
    const connection c = connect_pair();
    const std::jthread server = serve(c.server.get(), script);
    const ssl_ptr s = client_on(c.client.get());
    char buf[64];
    if (!adapter) {
      result out{};
      if (SSL_connect(s.get()) != 1)
        return out;
      const int n = SSL_read(s.get(), buf, sizeof buf);
      out.got.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
      const int r = SSL_read(s.get(), buf, sizeof buf);
      out.end = outcome_of(s.get(), r, errno);
      return out;
    }
    return drive([&]() -> vinyl::task<result> {
      result out{};
      if (co_await vinyl::ssl::connect(s.get()) != 1)
        co_return out;
      const int n = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
      out.got.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
      const int r = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
      out.end = outcome_of(s.get(), r, errno);
      co_return out;
    });
  };
  const result plain = attempt(false);
  ASSERT_EQ(plain.got, "last words");
  ASSERT_LE(plain.end.ret, 0);
  const result r = attempt(true);
  EXPECT_EQ(r.got, "last words");
  EXPECT_EQ(r.end, plain.end);
}

// SO_RCVTIMEO of 100 ms, a server that answers after 1 s: the read gives
// up as the blocking SSL_read does (-1, SSL_ERROR_WANT_READ, EAGAIN), in
// well under the server's delay; the answer is still read afterwards.
TEST_P(Tls, ReadTimeoutFailsLikeSslRead) {
  const auto script = [](SSL *s) {
    std::this_thread::sleep_for(1s);
    SSL_write(s, "late", 4);
    echo_until_closed(s);
  };
  struct result {
    outcome timed_out;
    std::chrono::steady_clock::duration took;
    std::string late;
  };
  const auto attempt = [&](bool adapter) {
    const connection c = connect_pair();
    const std::jthread server = serve(c.server.get(), script);
    const ssl_ptr s = client_on(c.client.get());
    char buf[64];
    result out{};
    if (!adapter) {
      if (SSL_connect(s.get()) != 1)
        return out;
      set_timeout(c.client.get(), SO_RCVTIMEO, 100ms);
      const auto start = std::chrono::steady_clock::now();
      const int r = SSL_read(s.get(), buf, sizeof buf);
      out.timed_out = outcome_of(s.get(), r, errno);
      out.took = std::chrono::steady_clock::now() - start;
      set_timeout(c.client.get(), SO_RCVTIMEO, 0ms);
      const int n = SSL_read(s.get(), buf, sizeof buf);
      out.late.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
      SSL_shutdown(s.get());
      return out;
    }
    return drive([&]() -> vinyl::task<result> {
      if (co_await vinyl::ssl::connect(s.get()) != 1)
        co_return out;
      set_timeout(c.client.get(), SO_RCVTIMEO, 100ms);
      const auto start = std::chrono::steady_clock::now();
      const int r = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
      out.timed_out = outcome_of(s.get(), r, errno);
      out.took = std::chrono::steady_clock::now() - start;
      set_timeout(c.client.get(), SO_RCVTIMEO, 0ms);
      const int n = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
      out.late.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
      co_await vinyl::ssl::shutdown(s.get());
      co_return out;
    });
  };
  const result plain = attempt(false);
  ASSERT_EQ(plain.timed_out.ret, -1);
  ASSERT_EQ(plain.timed_out.error, SSL_ERROR_WANT_READ);
  ASSERT_EQ(plain.timed_out.sys_errno, EAGAIN);
  const result r = attempt(true);
  EXPECT_EQ(r.timed_out, plain.timed_out);
  EXPECT_GE(r.took, 90ms);
  EXPECT_LT(r.took, 600ms);
  EXPECT_EQ(r.late, "late");
}

// SO_SNDTIMEO of 100 ms and a server that reads nothing: a 32 MB write
// fills the socket buffers and gives up as the blocking SSL_write does.
TEST_P(Tls, WriteTimeoutFailsLikeSslWrite) {
  const std::string data(32 << 20, 'w');
  const auto attempt = [&](bool adapter) {
    std::binary_semaphore finished(0);
    const connection c = connect_pair();
    const std::jthread server = serve(c.server.get(), [&finished](SSL *) {
      (void)finished.try_acquire_for(10s);
    });
    const ssl_ptr s = client_on(c.client.get());
    const int n = static_cast<int>(data.size());
    outcome out{};
    if (!adapter) {
      if (SSL_connect(s.get()) == 1) {
        set_timeout(c.client.get(), SO_SNDTIMEO, 100ms);
        const int r = SSL_write(s.get(), data.data(), n);
        out = outcome_of(s.get(), r, errno);
      }
    } else {
      out = drive([&]() -> vinyl::task<outcome> {
        if (co_await vinyl::ssl::connect(s.get()) != 1)
          co_return outcome{};
        set_timeout(c.client.get(), SO_SNDTIMEO, 100ms);
        const int r = co_await vinyl::ssl::write(s.get(), data.data(), n);
        co_return outcome_of(s.get(), r, errno);
      });
    }
    finished.release();
    return out;
  };
  const outcome plain = attempt(false);
  ASSERT_EQ(plain.ret, -1);
  ASSERT_EQ(plain.error, SSL_ERROR_WANT_WRITE);
  EXPECT_EQ(attempt(true), plain);
}

// ------------------------------------------------------------ plain calls

// A socket the caller made non-blocking: the call is the plain one, which
// answers at once with SSL_ERROR_WANT_READ (the server sends nothing until
// released), and the socket stays non-blocking.
TEST_P(Tls, NonblockingSocketGetsThePlainCall) {
  std::binary_semaphore release(0);
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), [&release](SSL *s) {
    (void)release.try_acquire_for(5s);
    SSL_shutdown(s);
  });
  const ssl_ptr s = client_on(c.client.get());
  ASSERT_EQ(SSL_connect(s.get()), 1);
  ::fcntl(c.client.get(), F_SETFL,
          ::fcntl(c.client.get(), F_GETFL) | O_NONBLOCK);
  const auto start = std::chrono::steady_clock::now();
  const outcome r = drive([&]() -> vinyl::task<outcome> {
    char buf[16];
    const int n = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
    co_return outcome_of(s.get(), n, errno);
  });
  release.release();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(r.ret, -1);
  EXPECT_EQ(r.error, SSL_ERROR_WANT_READ);
  EXPECT_TRUE(nonblocking(c.client.get()));
}

// Memory BIOs have no descriptor: the plain call, which wants the peer's
// answer to a ClientHello it has put in the write BIO.
TEST_P(Tls, MemoryBiosGetThePlainCall) {
  const ssl_ptr s(SSL_new(client_ctx()));
  BIO *in = BIO_new(BIO_s_mem());
  BIO *out = BIO_new(BIO_s_mem());
  SSL_set_bio(s.get(), in, out);
  ASSERT_EQ(SSL_get_fd(s.get()), -1);
  const outcome r = drive([&]() -> vinyl::task<outcome> {
    const int n = co_await vinyl::ssl::connect(s.get());
    co_return outcome_of(s.get(), n, errno);
  });
  EXPECT_EQ(r.ret, -1);
  EXPECT_EQ(r.error, SSL_ERROR_WANT_READ);
  EXPECT_GT(BIO_ctrl_pending(out), 0u);
}

// ------------------------------------------------------------ async

// Ten clients on one loop each send a request to a server thread of their
// own; each server answers once all ten requests have come (or after 3 s).
// Every request must have been sent before the first answer was read,
// which a loop blocked in SSL_read could not do.
TEST_P(AsyncTls, ReadsOnManyConnectionsWaitTogether) {
  constexpr int n = 10;
  std::mutex m;
  std::condition_variable cv;
  int requests = 0;
  const auto script = [&](SSL *s) {
    const std::string request = plain_read(s, 2);
    {
      std::unique_lock lock(m);
      ++requests;
      cv.notify_all();
      cv.wait_for(lock, 3s, [&] { return requests == n; });
    }
    std::this_thread::sleep_for(50ms);
    const std::string reply = "re:" + request;
    SSL_write(s, reply.data(), static_cast<int>(reply.size()));
    echo_until_closed(s);
  };
  std::vector<connection> conns;
  std::vector<ssl_ptr> ssls;
  std::vector<std::jthread> servers;
  for (int i = 0; i != n; ++i) {
    conns.push_back(connect_pair());
    ssls.push_back(client_on(conns.back().client.get()));
  }
  for (const connection &c : conns)
    servers.push_back(serve(c.server.get(), script));
  std::vector<std::string> got(n);
  int sent = 0;
  int first_done_at = -1;
  auto client = [&](int i) -> vinyl::task<void> {
    const auto at = static_cast<std::size_t>(i);
    SSL *s = ssls[at].get();
    if (co_await vinyl::ssl::connect(s) != 1) {
      got[at] = "connect failed";
      co_return;
    }
    const std::string request = "r" + std::to_string(i);
    co_await vinyl::ssl::write(s, request.data(), 2);
    ++sent;
    char buf[64];
    const int r = co_await vinyl::ssl::read(s, buf, sizeof buf);
    if (first_done_at < 0)
      first_done_at = sent;
    got[at] =
        r > 0 ? std::string(buf, static_cast<std::size_t>(r)) : "read failed";
    co_await vinyl::ssl::shutdown(s);
  };
  auto body = [&]() -> vinyl::task<void> {
    std::vector<vinyl::join_handle> handles;
    for (int i = 0; i != n; ++i)
      handles.push_back(vinyl::spawn(client, i));
    for (auto &h : handles)
      co_await h.join();
  };
  const auto start = std::chrono::steady_clock::now();
  vinyl::run(body());
  EXPECT_EQ(first_done_at, n);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  for (int i = 0; i != n; ++i)
    EXPECT_EQ(got[static_cast<std::size_t>(i)], "re:r" + std::to_string(i));
}

// A task ticking every 5 ms ticks many times during a read the server
// answers after 300 ms; a loop blocked in SSL_read would not resume it.
TEST_P(AsyncTls, LoopKeepsServingOtherTasksDuringARead) {
  const connection c = connect_pair();
  const std::jthread server = serve(c.server.get(), [](SSL *s) {
    std::this_thread::sleep_for(300ms);
    SSL_write(s, "done", 4);
    echo_until_closed(s);
  });
  const ssl_ptr s = client_on(c.client.get());
  ASSERT_EQ(SSL_connect(s.get()), 1);
  int ticks = 0;
  int ticks_when_done = -1;
  bool done = false;
  std::string text;
  auto read = [&]() -> vinyl::task<int> {
    char buf[16];
    const int n = co_await vinyl::ssl::read(s.get(), buf, sizeof buf);
    ticks_when_done = ticks;
    done = true;
    text.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    co_return n;
  };
  vinyl::block_on(
      vinyl::when_all(read(), tick_until(done, 5ms, [&] { ++ticks; })));
  EXPECT_EQ(text, "done");
  EXPECT_GE(ticks_when_done, 3);
  SSL_shutdown(s.get());
}

} // namespace
