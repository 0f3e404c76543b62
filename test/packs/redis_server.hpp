// A throwaway redis-server for one test process.
//
// Started from Debian's redis-server (VINYL_REDIS_SERVER overrides the
// path) in a fresh directory under /tmp, with no persistence, listening on
// a Unix socket in that directory and on 127.0.0.1 at a port the kernel
// picked free a moment before. The server is the test process's child
// and gets SIGKILL when the process ends, however it ends (PR_SET_PDEATHSIG),
// so none outlives its tests; the destructor stops it and removes the
// directory.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace vinyl_test {

class redis_server {
public:
  // extra_args go to redis-server after the others ("--tcp-backlog",
  // "4096" for a benchmark that connects a thousand clients at once).
  explicit redis_server(std::vector<std::string> extra_args = {})
      : extra_args_(std::move(extra_args)) {
    const char *binary = std::getenv("VINYL_REDIS_SERVER");
    binary_ = binary && *binary ? binary : "/usr/bin/redis-server";
    if (::access(binary_.c_str(), X_OK) != 0)
      throw std::runtime_error("no " + binary_ +
                               "; install the package redis-server "
                               "(apt-get install redis-server)");
    char dir[] = "/tmp/vinyl-redis-XXXXXX";
    if (!::mkdtemp(dir))
      throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    dir_ = dir;
    try {
      port_ = free_port();
      start();
    } catch (...) {
      stop();
      throw;
    }
  }

  redis_server(const redis_server &) = delete;
  redis_server &operator=(const redis_server &) = delete;
  ~redis_server() { stop(); }

  const std::string &socket_path() const { return socket_; }
  int port() const { return port_; }

  // A port on 127.0.0.1 where nothing listens (picked as port() was).
  static int closed_port() { return free_port(); }

private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&addr), len) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
      const int error = errno;
      if (fd >= 0)
        ::close(fd);
      throw std::runtime_error(std::string("no free port: ") +
                               std::strerror(error));
    }
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  void start() {
    socket_ = dir_ + "/redis.sock";
    const std::string port = std::to_string(port_);
    const std::string log = dir_ + "/server.log";
    std::vector<std::string> argv = {
        binary_,     "--port",           port,    "--bind",
        "127.0.0.1", "--unixsocket",     socket_, "--dir",
        dir_,        "--save",           "",      "--appendonly",
        "no",        "--daemonize",      "no",    "--logfile",
        log,         "--protected-mode", "no"};
    argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char *> args;
    for (std::string &arg : argv)
      args.push_back(arg.data());
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0)
      throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent)
        ::_exit(127);
      const int null = ::open("/dev/null", O_RDWR);
      if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
      }
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    pid_ = pid;
    // Ready once the socket accepts a connection.
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!accepts()) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("redis-server exited at start:\n" + read(log));
      }
      if (std::chrono::steady_clock::now() > give_up)
        throw std::runtime_error("redis-server did not start:\n" + read(log));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  bool accepts() const {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_.c_str(), sizeof addr.sun_path - 1);
    const bool ok =
        fd >= 0 &&
        ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    if (fd >= 0)
      ::close(fd);
    return ok;
  }

  void stop() noexcept {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
      dir_.clear();
    }
  }

  static std::string read(const std::string &path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::vector<std::string> extra_args_;
  std::string binary_;
  std::string dir_;
  std::string socket_;
  int port_ = 0;
  pid_t pid_ = -1;
};

} // namespace vinyl_test
