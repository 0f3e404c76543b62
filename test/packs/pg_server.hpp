// A throwaway PostgreSQL 15 server for one test process.
//
// initdb into a fresh directory under /tmp (trust authentication, superuser
// "postgres"), then pg_ctl start with fsync off, listening on a Unix socket
// in that same directory only (listen_addresses='': no TCP port, so no clash
// with another server or another test process). Connect with conninfo().
// The destructor stops it (pg_ctl stop -m immediate) and removes the
// directory. A watchdog process does the same if the test process ends
// without getting there (a crash, a kill by ctest's timeout), so no server
// outlives its tests.
//
// PostgreSQL refuses to run as root: then initdb and pg_ctl run through
// `runuser -u postgres --`, and the directory belongs to that user.
// VINYL_PG_BINDIR overrides where the server binaries are looked for
// (default /usr/lib/postgresql/15/bin, Debian's postgresql-15).
#pragma once

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace vinyl_test {

class pg_server {
public:
  pg_server() {
    const char *bindir = std::getenv("VINYL_PG_BINDIR");
    bindir_ = bindir && *bindir ? bindir : "/usr/lib/postgresql/15/bin";
    for (const char *tool : {"initdb", "pg_ctl", "postgres"})
      if (::access((bindir_ + "/" + tool).c_str(), X_OK) != 0)
        throw std::runtime_error(
            "PostgreSQL 15 server binaries not found: no " + bindir_ + "/" +
            tool +
            "; install the package postgresql-15 "
            "(apt-get install postgresql-15)");
    if (::getuid() == 0) {
      const passwd *pw = ::getpwnam("postgres");
      if (!pw)
        throw std::runtime_error(
            "running as root, but there is no user postgres to run the "
            "server as (the package postgresql-15 creates it)");
      run_as_ = {"runuser", "-u", "postgres", "--"};
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
    }
    char dir[] = "/tmp/vinyl-pq-XXXXXX";
    if (!::mkdtemp(dir))
      throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    dir_ = dir;
    try {
      start();
    } catch (...) {
      stop();
      throw;
    }
  }

  pg_server(const pg_server &) = delete;
  pg_server &operator=(const pg_server &) = delete;

  ~pg_server() { stop(); }

  // Where the server's socket is: the host= of a conninfo.
  const std::string &socket_dir() const { return dir_; }

  std::string conninfo() const {
    return "host=" + dir_ + " dbname=postgres user=postgres";
  }

private:
  void start() {
    if (!run_as_.empty() && ::chown(dir_.c_str(), uid_, gid_) != 0)
      throw std::runtime_error("chown " + dir_ + ": " + std::strerror(errno));
    start_watchdog();
    const std::string data = dir_ + "/data";
    if (run({bindir_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C", "--no-sync"}) != 0)
      throw std::runtime_error("initdb failed:\n" + read(setup_log()));
    started_ = true; // from here on, stop() asks pg_ctl to stop it
    const std::string options = "-F -c listen_addresses='' "
                                "-c unix_socket_directories='" +
                                dir_ + "'";
    if (run({bindir_ + "/pg_ctl", "-D", data, "-l", dir_ + "/server.log", "-w",
             "-t", "120", "-o", options, "start"}) != 0)
      throw std::runtime_error("pg_ctl start failed:\n" + read(setup_log()) +
                               "\nserver log:\n" + read(dir_ + "/server.log"));
  }

  void stop() noexcept {
    if (started_) {
      try {
        run({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w",
             "stop"});
      } catch (...) {
      }
      started_ = false;
    }
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
      dir_.clear();
    }
    if (watchdog_ > 0) {
      // Done: the watchdog leaves everything alone.
      (void)!::send(watchdog_socket_, "done\n", 5, MSG_NOSIGNAL);
      ::close(watchdog_socket_);
      int status = 0;
      while (::waitpid(watchdog_, &status, 0) < 0 && errno == EINTR) {
      }
      watchdog_ = -1;
    }
  }

  // A shell in a session of its own, reading a socket whose other end only
  // this process holds open: at end of file without "done" first, this process
  // is gone without its cleanup, so the shell stops the server and removes the
  // directory. setsid keeps it out of a process group a runner kills.
  void start_watchdog() {
    // A socket rather than a pipe: send can say MSG_NOSIGNAL, so a watchdog
    // that died early costs no SIGPIPE.
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      throw std::runtime_error(std::string("socketpair: ") +
                               std::strerror(errno));
    std::string prefix;
    for (const std::string &word : run_as_)
      prefix += quote(word) + " ";
    const std::string script =
        "read -r word; [ \"$word\" = done ] && exit 0; " + prefix +
        quote(bindir_ + "/pg_ctl") + " -D " + quote(dir_ + "/data") +
        " -m immediate -w stop >/dev/null 2>&1; rm -rf " + quote(dir_);
    const char *argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
    const pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::setsid();
      ::dup2(fds[0], 0);
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) {
        ::dup2(null, 1);
        ::dup2(null, 2);
      }
      ::execv("/bin/sh", const_cast<char *const *>(argv));
      ::_exit(127);
    }
    ::close(fds[0]);
    watchdog_socket_ = fds[1];
    watchdog_ = pid;
  }

  static std::string quote(const std::string &word) {
    std::string quoted = "'";
    for (const char c : word)
      quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
  }

  std::string setup_log() const { return dir_ + "/setup.log"; }

  static std::string read(const std::string &path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Runs argv (as the server's user, in the server's directory), its
  // output appended to setup.log; its exit status.
  int run(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), run_as_.begin(), run_as_.end());
    std::vector<char *> args;
    for (std::string &arg : argv)
      args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, setup_log().c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addchdir_np(&actions, dir_.c_str());
    pid_t pid = 0;
    const int error =
        ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0)
      throw std::runtime_error("cannot run " + argv[0] + ": " +
                               std::strerror(error));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
      if (errno != EINTR)
        throw std::runtime_error(std::string("waitpid: ") +
                                 std::strerror(errno));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string bindir_;
  std::vector<std::string> run_as_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  std::string dir_;
  bool started_ = false;
  pid_t watchdog_ = -1;
  int watchdog_socket_ = -1;
};

} // namespace vinyl_test
