// The GoogleTest suite of securechat, over TLS connections on 127.0.0.1
// with a certificate the suite makes when it starts (a P-256 key and a
// self-signed certificate for "localhost", written as PEM files in a
// temporary directory). A securechat::Server runs on a thread of its own
// on a port the kernel picks. Round trips of each request, many clients at
// once, and the faults, each with the error text the library gives:
// a connection refused, certificates the client must refuse, a server and
// a client that do not speak TLS, a peer that closes the connection in the
// middle of a frame, read timeouts on both sides, an oversized frame, and
// no descriptor left open after them. The library is used through its
// public header; plain OpenSSL and socket calls appear only to play
// misbehaving peers, on threads of their own.
#include "securechat/chat.h"

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <cerrno>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using securechat::Client;
using securechat::ClientOptions;
using securechat::Error;
using securechat::Message;
using securechat::Server;
using securechat::ServerOptions;
using Kind = securechat::Error::Kind;
using Clock = std::chrono::steady_clock;

// OpenSSL writes with write(2): a peer gone away must give an error, not a
// SIGPIPE that ends the process.
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

// ------------------------------------------------------------ certificates

// A fresh P-256 key and a certificate for "localhost" that it signs
// itself, written as cert.pem and key.pem under dir/name.
void make_identity(const std::filesystem::path &dir, const std::string &name) {
  EVP_PKEY *key = EVP_EC_gen("P-256");
  X509 *cert = X509_new();
  if (key == nullptr || cert == nullptr)
    throw std::runtime_error("cannot make a key and a certificate");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME *subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      subject, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char *>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION *san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name,
                                            "DNS:localhost");
  X509_add_ext(cert, san, -1);
  X509_EXTENSION_free(san);
  if (X509_sign(cert, key, EVP_sha256()) <= 0)
    throw std::runtime_error("cannot sign the certificate");
  std::filesystem::create_directories(dir / name);
  FILE *cert_file = std::fopen((dir / name / "cert.pem").c_str(), "w");
  FILE *key_file = std::fopen((dir / name / "key.pem").c_str(), "w");
  const bool written =
      cert_file != nullptr && key_file != nullptr &&
      PEM_write_X509(cert_file, cert) == 1 &&
      PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr,
                           nullptr) == 1;
  if (cert_file != nullptr)
    std::fclose(cert_file);
  if (key_file != nullptr)
    std::fclose(key_file);
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!written)
    throw std::runtime_error("cannot write " + (dir / name).string());
}

// ------------------------------------------------------------ raw sockets

// A socket listening on 127.0.0.1 on a port the kernel picks.
int listen_on_loopback(std::uint16_t &port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 ||
      ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
    throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
  port = ntohs(addr.sin_port);
  return fd;
}

// A plain TCP connection to 127.0.0.1:port whose reads give up after 5 s.
int connect_raw(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (fd < 0 ||
      ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  const timeval five{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
  return fd;
}

// What a raw peer reads until the other end closes the connection: "" if
// nothing came before the end (end of file, or a reset because the other
// end closed with bytes of ours unread), "(timeout)" if nothing ended.
std::string read_until_end(int fd) {
  std::string got;
  char buf[512];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno == ECONNRESET))
      return got;
    if (n < 0)
      return "(" + std::string(std::strerror(errno)) + ")";
    got.append(buf, static_cast<std::size_t>(n));
  }
}

// A port on 127.0.0.1 that is bound but not listening while this lives:
// a connection to it is refused.
class ReservedPort {
public:
  ReservedPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
      throw std::runtime_error("cannot reserve a port");
    port_ = ntohs(addr.sin_port);
  }
  ~ReservedPort() { ::close(fd_); }
  ReservedPort(const ReservedPort &) = delete;
  ReservedPort &operator=(const ReservedPort &) = delete;
  std::uint16_t port() const { return port_; }

private:
  int fd_;
  std::uint16_t port_ = 0;
};

// Accepts one connection on 127.0.0.1 and runs script(fd) on a thread of
// its own; joined (and the sockets closed) when it goes.
class RawPeer {
public:
  explicit RawPeer(std::function<void(int)> script)
      : listener_(listen_on_loopback(port_)),
        thread_([this, script = std::move(script)] {
          const int fd = ::accept(listener_, nullptr, nullptr);
          if (fd < 0)
            return;
          const int on = 1; // as securechat's own sockets
          ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
          script(fd);
          ::close(fd);
        }) {}
  ~RawPeer() {
    ::shutdown(listener_, SHUT_RDWR); // if nobody came
    thread_.join();
    ::close(listener_);
  }
  RawPeer(const RawPeer &) = delete;
  RawPeer &operator=(const RawPeer &) = delete;
  std::uint16_t port() const { return port_; }

private:
  std::uint16_t port_ = 0;
  int listener_;
  std::thread thread_;
};

// ------------------------------------------------------------ plain TLS

// The frame of a payload: its 4-byte big-endian length, then the payload.
std::string frame(const std::string &payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string out{static_cast<char>(n >> 24), static_cast<char>(n >> 16 & 0xff),
                  static_cast<char>(n >> 8 & 0xff), static_cast<char>(n & 0xff)};
  return out + payload;
}

bool plain_write(SSL *ssl, const std::string &bytes) {
  return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) ==
         static_cast<int>(bytes.size());
}

bool plain_read(SSL *ssl, char *out, std::size_t n) {
  for (std::size_t got = 0; got < n;) {
    const int r = SSL_read(ssl, out + got, static_cast<int>(n - got));
    if (r <= 0)
      return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// The next frame a plain peer reads; nothing if the connection ended.
std::optional<std::string> plain_read_frame(SSL *ssl) {
  unsigned char header[4];
  if (!plain_read(ssl, reinterpret_cast<char *>(header), 4))
    return std::nullopt;
  const std::size_t n = std::size_t{header[0]} << 24 |
                        std::size_t{header[1]} << 16 |
                        std::size_t{header[2]} << 8 | header[3];
  std::string payload(n, '\0');
  if (!plain_read(ssl, payload.data(), n))
    return std::nullopt;
  return payload;
}

// ------------------------------------------------------------ fixture

class ChatTest : public ::testing::Test {
public:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/securechat-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    dir_ = new std::filesystem::path(pattern);
    make_identity(*dir_, "server");
    make_identity(*dir_, "stranger");
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ERR_clear_error(); }

  static std::string cert_file() { return (*dir_ / "server/cert.pem"); }
  static std::string key_file() { return (*dir_ / "server/key.pem"); }
  // A certificate the server does not have: trusting it alone, a client
  // refuses the server's.
  static std::string stranger_cert_file() {
    return (*dir_ / "stranger/cert.pem");
  }

  static ServerOptions server_options() {
    ServerOptions options;
    options.cert_file = cert_file();
    options.key_file = key_file();
    return options;
  }

  // A client that trusts the server's certificate and gives up on a
  // server that does not answer within 10 s rather than hang the suite.
  static ClientOptions client_options(std::uint16_t port) {
    ClientOptions options;
    options.port = port;
    options.ca_file = cert_file();
    options.timeout = 10s;
    return options;
  }

  // A server context of the test certificate, for plain TLS peers.
  static SSL_CTX *plain_server_ctx() {
    static SSL_CTX *const ctx = [] {
      SSL_CTX *c = SSL_CTX_new(TLS_server_method());
      if (c == nullptr ||
          SSL_CTX_use_certificate_file(c, cert_file().c_str(),
                                       SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_use_PrivateKey_file(c, key_file().c_str(),
                                      SSL_FILETYPE_PEM) != 1)
        throw std::runtime_error("cannot make a plain server context");
      return c;
    }();
    return ctx;
  }

  // A client context trusting the test certificate, for plain TLS peers.
  static SSL_CTX *plain_client_ctx() {
    static SSL_CTX *const ctx = [] {
      SSL_CTX *c = SSL_CTX_new(TLS_client_method());
      if (c == nullptr ||
          SSL_CTX_load_verify_locations(c, cert_file().c_str(), nullptr) != 1)
        throw std::runtime_error("cannot make a plain client context");
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
      return c;
    }();
    return ctx;
  }

  static std::filesystem::path *dir_;
};

std::filesystem::path *ChatTest::dir_ = nullptr;

// A securechat::Server serving on a thread of its own; stopped and joined
// when it goes. Keeps what the server reports through on_error.
class RunningServer {
public:
  explicit RunningServer(ServerOptions options)
      : server_(with_log(std::move(options))), thread_([this] {
          server_.serve();
          const std::lock_guard<std::mutex> lock(mutex_);
          served_ = true;
          reported_.notify_all();
        }) {}
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  RunningServer(const RunningServer &) = delete;
  RunningServer &operator=(const RunningServer &) = delete;

  std::uint16_t port() const { return server_.port(); }
  void stop() { server_.stop(); }

  // Whether serve() has returned, waiting up to timeout for it.
  bool served_within(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return reported_.wait_for(lock, timeout, [&] { return served_; });
  }

  // The errors reported so far, once there are n of them (or after 5 s).
  std::vector<std::pair<Kind, std::string>> errors(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    reported_.wait_for(lock, 5s, [&] { return errors_.size() >= n; });
    return errors_;
  }

private:
  ServerOptions with_log(ServerOptions options) {
    options.on_error = [this](const Error &e) {
      const std::lock_guard<std::mutex> lock(mutex_);
      errors_.emplace_back(e.kind(), e.what());
      reported_.notify_all();
    };
    return options;
  }

  std::mutex mutex_;
  std::condition_variable reported_;
  std::vector<std::pair<Kind, std::string>> errors_;
  bool served_ = false;
  Server server_;
  std::thread thread_;
};

// A plain OpenSSL server: accepts one connection, makes the handshake with
// the test certificate, and runs script(ssl); then the socket closes
// without close_notify unless the script sent one.
RawPeer plain_tls_peer(std::function<void(SSL *)> script) {
  return RawPeer([script = std::move(script)](int fd) {
    SSL *ssl = SSL_new(ChatTest::plain_server_ctx());
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1)
      script(ssl);
    SSL_free(ssl);
    ERR_clear_error();
  });
}

// The plain peer's side of a login: HELLO answered with OK.
bool answer_hello(SSL *ssl) {
  const std::optional<std::string> hello = plain_read_frame(ssl);
  return hello && hello->rfind("HELLO ", 0) == 0 && plain_write(ssl, frame("OK"));
}

std::string where(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

// ------------------------------------------------------------ round trips

TEST_F(ChatTest, PingOverTls) {
  RunningServer server(server_options());
  Client client = Client::connect(client_options(server.port()), "alice");
  EXPECT_NO_THROW(client.ping());
  client.close();
}

TEST_F(ChatTest, MessagesArriveInOrderAndOnce) {
  RunningServer server(server_options());
  Client alice = Client::connect(client_options(server.port()), "alice");
  Client bob = Client::connect(client_options(server.port()), "bob");
  alice.send("bob", "hello bob");
  alice.send("bob", "are you there?");
  bob.send("bob", "note to self");
  EXPECT_EQ(bob.fetch(), (std::vector<Message>{{"alice", "hello bob"},
                                               {"alice", "are you there?"},
                                               {"bob", "note to self"}}));
  EXPECT_EQ(bob.fetch(), std::vector<Message>{});
  EXPECT_EQ(alice.fetch(), std::vector<Message>{});
}

TEST_F(ChatTest, MessagesAreBinarySafe) {
  RunningServer server(server_options());
  std::string text;
  for (int i = 0; i < 256; ++i)
    text += static_cast<char>(i);
  text += std::string("\0\r\n end", 8);
  Client alice = Client::connect(client_options(server.port()), "alice");
  alice.send("alice", text);
  const std::vector<Message> got = alice.fetch();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].text, text);
}

// 900 KB in one frame: some 55 TLS records, more than the socket buffers
// hold at once, each way.
TEST_F(ChatTest, ALargeMessageGoesThroughWhole) {
  RunningServer server(server_options());
  std::string text(900'000, 'x');
  for (std::size_t i = 0; i < text.size(); i += 997)
    text[i] = static_cast<char>('a' + i % 26);
  Client alice = Client::connect(client_options(server.port()), "alice");
  alice.send("bob", text);
  Client bob = Client::connect(client_options(server.port()), "bob");
  const std::vector<Message> got = bob.fetch();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].text == text);
}

// Eight sessions open at once: each request is answered while the seven
// other connections wait for their next frame.
TEST_F(ChatTest, ClientsAreServedAtTheSameTime) {
  RunningServer server(server_options());
  std::vector<Client> clients;
  for (int i = 0; i < 8; ++i)
    clients.push_back(Client::connect(client_options(server.port()),
                                      "user" + std::to_string(i)));
  for (int from = 0; from < 8; ++from)
    for (int to = 0; to < 8; ++to)
      if (from != to)
        clients[from].send("user" + std::to_string(to),
                           "from " + std::to_string(from));
  for (int to = 0; to < 8; ++to) {
    const std::vector<Message> got = clients[to].fetch();
    ASSERT_EQ(got.size(), 7u);
    for (const Message &m : got)
      EXPECT_EQ("from " + m.from.substr(4), m.text);
  }
}

TEST_F(ChatTest, ABadUserNameIsRefused) {
  RunningServer server(server_options());
  try {
    Client::connect(client_options(server.port()), "two words");
    FAIL() << "connect should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Refused);
    EXPECT_STREQ(e.what(), "HELLO refused: bad user name");
  }
}

// After close() (close_notify sent, the server's received) the client
// refuses further calls.
TEST_F(ChatTest, AClosedClientRefusesCalls) {
  RunningServer server(server_options());
  Client client = Client::connect(client_options(server.port()), "alice");
  ASSERT_NO_THROW(client.close());
  try {
    client.ping();
    FAIL() << "ping should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Closed);
    EXPECT_STREQ(e.what(), "the connection is closed");
  }
}

// stop() ends the sessions that are open: serve() returns with a client
// still connected, whose next call fails. (Were it not so, the client's
// socket closing at the end of the test would end the session.)
TEST_F(ChatTest, StopEndsOpenSessions) {
  RunningServer server(server_options());
  Client client = Client::connect(client_options(server.port()), "alice");
  client.ping();
  server.stop();
  EXPECT_TRUE(server.served_within(2s));
  EXPECT_THROW(client.ping(), Error);
}

// ------------------------------------------------------------ faults

TEST_F(ChatTest, ARefusedConnectionIsANetworkError) {
  const ReservedPort nobody;
  try {
    Client::connect(client_options(nobody.port()), "alice");
    FAIL() << "connect should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Network);
    EXPECT_EQ(e.sys_errno(), ECONNREFUSED);
    EXPECT_EQ(e.what(), "connect to " + where(nobody.port()) +
                            ": Connection refused");
  }
}

TEST_F(ChatTest, AnUntrustedCertificateFailsTheHandshake) {
  RunningServer server(server_options());
  ClientOptions options = client_options(server.port());
  options.ca_file = stranger_cert_file();
  try {
    Client::connect(options, "alice");
    FAIL() << "connect should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Tls);
    EXPECT_EQ(e.ssl_error(), SSL_ERROR_SSL);
    EXPECT_EQ(e.what(), "TLS handshake with " + where(server.port()) +
                            ": certificate verify failed (self-signed "
                            "certificate)");
  }
}

TEST_F(ChatTest, AnotherServerNameFailsTheHandshake) {
  RunningServer server(server_options());
  ClientOptions options = client_options(server.port());
  options.server_name = "chat.example.com";
  try {
    Client::connect(options, "alice");
    FAIL() << "connect should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Tls);
    EXPECT_EQ(e.what(), "TLS handshake with " + where(server.port()) +
                            ": certificate verify failed (hostname "
                            "mismatch)");
  }
}

// A plain-text server (an HTTP one, say) answers the ClientHello with
// text, which is no TLS record.
TEST_F(ChatTest, AServerThatDoesNotSpeakTlsFailsTheHandshake) {
  const RawPeer http([](int fd) {
    char buf[512];
    (void)::read(fd, buf, sizeof buf);
    const std::string reply = "HTTP/1.1 400 Bad Request\r\n\r\n";
    (void)::write(fd, reply.data(), reply.size());
  });
  try {
    Client::connect(client_options(http.port()), "alice");
    FAIL() << "connect should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Tls);
    EXPECT_EQ(e.ssl_error(), SSL_ERROR_SSL);
    EXPECT_EQ(e.what(), "TLS handshake with " + where(http.port()) +
                            ": wrong version number");
  }
}

// Someone points a browser at the port: the server reports the failed
// handshake, drops that connection and goes on serving.
TEST_F(ChatTest, AClientThatDoesNotSpeakTlsIsReportedAndDropped) {
  RunningServer server(server_options());
  const int fd = connect_raw(server.port());
  const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(::write(fd, request.data(), request.size()),
            static_cast<ssize_t>(request.size()));
  EXPECT_EQ(read_until_end(fd), "");
  ::close(fd);
  const auto errors = server.errors(1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, Kind::Tls);
  EXPECT_EQ(errors[0].second.rfind("TLS handshake with 127.0.0.1:", 0), 0u)
      << errors[0].second;
  EXPECT_NE(errors[0].second.find(": http request"), std::string::npos)
      << errors[0].second;
  Client client = Client::connect(client_options(server.port()), "alice");
  EXPECT_NO_THROW(client.ping());
}

// The server dies in the middle of a reply: 10 of the 100 bytes its
// header announced, then the socket closes without close_notify.
TEST_F(ChatTest, AServerClosingMidFrameIsAnError) {
  const RawPeer peer = plain_tls_peer([](SSL *ssl) {
    if (!answer_hello(ssl) || !plain_read_frame(ssl))
      return;
    plain_write(ssl, frame(std::string(100, 'p')).substr(0, 4 + 10));
    ::shutdown(SSL_get_fd(ssl), SHUT_RDWR);
  });
  Client client = Client::connect(client_options(peer.port()), "alice");
  try {
    client.ping();
    FAIL() << "ping should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Closed);
    EXPECT_EQ(e.what(), "read from " + where(peer.port()) +
                            ": the connection ended after 10 of 100 bytes "
                            "(unexpected eof while reading)");
  }
}

// A client sends 5 of the 50 bytes its header announced, then
// close_notify: the server reports it.
TEST_F(ChatTest, AClientClosingMidFrameIsReported) {
  RunningServer server(server_options());
  const int fd = connect_raw(server.port());
  SSL *ssl = SSL_new(plain_client_ctx());
  SSL_set_fd(ssl, fd);
  SSL_set1_host(ssl, "localhost");
  ASSERT_EQ(SSL_connect(ssl), 1);
  ASSERT_TRUE(plain_write(ssl, frame(std::string(50, 'c')).substr(0, 4 + 5)));
  SSL_shutdown(ssl);
  const auto errors = server.errors(1);
  SSL_free(ssl);
  ::close(fd);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, Kind::Closed);
  EXPECT_EQ(errors[0].second.rfind("read from 127.0.0.1:", 0), 0u)
      << errors[0].second;
  EXPECT_NE(errors[0].second.find(
                ": the connection ended after 5 of 50 bytes (close_notify)"),
            std::string::npos)
      << errors[0].second;
}

// A server that announces a frame larger than the client accepts.
TEST_F(ChatTest, AnOversizedFrameIsAProtocolError) {
  const RawPeer peer = plain_tls_peer([](SSL *ssl) {
    if (answer_hello(ssl) && plain_read_frame(ssl))
      plain_write(ssl, std::string("\x7f\xff\xff\xff", 4));
  });
  Client client = Client::connect(client_options(peer.port()), "alice");
  try {
    client.ping();
    FAIL() << "ping should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Protocol);
    EXPECT_EQ(e.what(), "read from " + where(peer.port()) +
                            ": a frame of 2147483647 bytes exceeds the limit "
                            "of 1048576");
  }
}

// A read timeout of 200 ms, a server that does not answer PING for 5 s
// (or until the test is done): the call gives up after the timeout, as
// SSL_read does on SO_RCVTIMEO (SSL_ERROR_WANT_READ, EAGAIN).
TEST_F(ChatTest, AReadTimesOut) {
  std::binary_semaphore done(0);
  const RawPeer peer = plain_tls_peer([&done](SSL *ssl) {
    if (answer_hello(ssl) && plain_read_frame(ssl))
      (void)done.try_acquire_for(5s);
  });
  ClientOptions options = client_options(peer.port());
  options.timeout = 200ms;
  Client client = Client::connect(options, "alice");
  const auto start = Clock::now();
  try {
    client.ping();
    FAIL() << "ping should have thrown";
  } catch (const Error &e) {
    const auto took = Clock::now() - start;
    EXPECT_EQ(e.kind(), Kind::Timeout);
    EXPECT_EQ(e.ssl_error(), SSL_ERROR_WANT_READ);
    EXPECT_EQ(e.sys_errno(), EAGAIN);
    EXPECT_EQ(e.what(), "read from " + where(peer.port()) +
                            ": timed out after 200 ms");
    EXPECT_GE(took, 190ms);
    EXPECT_LT(took, 2s);
  }
  done.release();
}

// The reply to a call that timed out may still come: the connection is
// not used again.
TEST_F(ChatTest, ACallAfterATimeoutFindsTheConnectionBroken) {
  std::binary_semaphore done(0);
  const RawPeer peer = plain_tls_peer([&done](SSL *ssl) {
    if (answer_hello(ssl) && plain_read_frame(ssl))
      (void)done.try_acquire_for(5s);
  });
  ClientOptions options = client_options(peer.port());
  options.timeout = 200ms;
  Client client = Client::connect(options, "alice");
  EXPECT_THROW(client.ping(), Error);
  try {
    client.ping();
    FAIL() << "ping should have thrown";
  } catch (const Error &e) {
    EXPECT_EQ(e.kind(), Kind::Closed);
    EXPECT_EQ(e.what(), "the connection to " + where(peer.port()) +
                            " was broken by an earlier error");
  }
  done.release();
}

// A server timeout of 200 ms and a client that connects and says nothing:
// the handshake gives up, the server reports it and closes the connection.
TEST_F(ChatTest, ASilentClientTimesOutInTheHandshake) {
  ServerOptions options = server_options();
  options.timeout = 200ms;
  RunningServer server(std::move(options));
  const int fd = connect_raw(server.port());
  const auto start = Clock::now();
  EXPECT_EQ(read_until_end(fd), "");
  const auto took = Clock::now() - start;
  ::close(fd);
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 2s);
  const auto errors = server.errors(1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, Kind::Timeout);
  EXPECT_EQ(errors[0].second.rfind("TLS handshake with 127.0.0.1:", 0), 0u)
      << errors[0].second;
  EXPECT_NE(errors[0].second.find(": timed out after 200 ms"),
            std::string::npos)
      << errors[0].second;
}

// Every fault above closes what it opened, on both sides.
TEST_F(ChatTest, NoDescriptorLeftOpen) {
  {
    // Whatever a first session sets up once.
    RunningServer server(server_options());
    Client::connect(client_options(server.port()), "warm").ping();
  }
  const int before = open_descriptors();
  {
    const ReservedPort nobody;
    EXPECT_THROW(Client::connect(client_options(nobody.port()), "a"), Error);
  }
  {
    ServerOptions quick = server_options();
    quick.timeout = 200ms;
    RunningServer server(std::move(quick));
    ClientOptions stranger = client_options(server.port());
    stranger.ca_file = stranger_cert_file();
    EXPECT_THROW(Client::connect(stranger, "b"), Error);
    const int silent = connect_raw(server.port());
    EXPECT_EQ(read_until_end(silent), "");
    ::close(silent);
    const int http = connect_raw(server.port());
    EXPECT_EQ(::write(http, "GET / HTTP/1.0\r\n\r\n", 18), 18);
    EXPECT_EQ(read_until_end(http), "");
    ::close(http);
    Client client = Client::connect(client_options(server.port()), "c");
    client.send("c", "still here");
    EXPECT_EQ(client.fetch().size(), 1u);
    client.close();
  }
  EXPECT_EQ(open_descriptors(), before);
}

} // namespace
