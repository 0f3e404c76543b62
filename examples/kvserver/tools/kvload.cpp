// kvload: load client of the kvserver line protocol, one thread, epoll.
//
// Opens --conns connections (at most --connect-batch connecting at a time),
// waits until every one of them has been answered a PING (so the server
// holds them all open at once), reads the server's Threads: and VmRSS: from
// /proc/<--pid>/status while they are idle, then runs --requests requests on
// each connection (SET then GET of a key of its own, --pipeline requests in
// flight per connection), checks every reply, and closes them all.
// Prints "name value" lines; exits 0 only if every reply was right, within
// --timeout-s and (with --max-threads) the server's thread count. With
// --pid it also prints the CPU time and context switches of the request
// phase, its own (getrusage) and the server's (/proc/<pid>/stat, and the
// sum over /proc/<pid>/task/*/status), to tell which side was the limit.
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sstream>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int port = 0;
  int conns = 100;
  int requests = 10;
  int pipeline = 1;
  int connect_batch = 256;
  int pid = 0;
  int max_threads = 0;
  double timeout_s = 60;
  int hold_ms = 300;
  bool linger0 = false;
  std::string prefix = "k";
};

enum class State { Connecting, Pinging, Idle, Running, Done };

struct Conn {
  int fd = -1;
  State state = State::Connecting;
  std::string in;
  std::string out;
  int next_request = 0;  // index of the next request to send
  int answered = 0;      // replies checked so far
  int in_flight = 0;
  int batch_n = 0;
  Clock::time_point batch_sent;
};

long status_field(int pid, const char *name) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  std::size_t len = std::strlen(name);
  while (std::getline(f, line))
    if (line.compare(0, len, name) == 0 && line.size() > len && line[len] == ':')
      return std::atol(line.c_str() + len + 1);
  return -1;
}

// CPU time and context switches of a process (all its threads) or of this
// one (pid 0).
struct Usage {
  double cpu_s = -1;
  long voluntary = -1, nonvoluntary = -1;
};

Usage usage_of(int pid) {
  Usage u;
  if (pid == 0) {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    u.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    u.voluntary = ru.ru_nvcsw;
    u.nonvoluntary = ru.ru_nivcsw;
    return u;
  }
  std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream f(dir + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::size_t paren = stat.rfind(')');
  if (paren == std::string::npos)
    return u;
  // After "pid (comm)": state is field 3; utime and stime are fields 14, 15.
  std::istringstream fields(stat.substr(paren + 1));
  std::string skip;
  for (int field = 3; field <= 13; ++field)
    fields >> skip;
  long utime = 0, stime = 0;
  if (!(fields >> utime >> stime))
    return u;
  u.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  // Per thread: /proc/<pid>/status counts the main thread only.
  if (DIR *d = opendir((dir + "/task").c_str())) {
    u.voluntary = u.nonvoluntary = 0;
    while (dirent *e = readdir(d)) {
      if (e->d_name[0] == '.')
        continue;
      std::ifstream t(dir + "/task/" + e->d_name + "/status");
      std::string line;
      while (std::getline(t, line)) {
        if (line.compare(0, 24, "voluntary_ctxt_switches:") == 0)
          u.voluntary += std::atol(line.c_str() + 24);
        else if (line.compare(0, 27, "nonvoluntary_ctxt_switches:") == 0)
          u.nonvoluntary += std::atol(line.c_str() + 27);
      }
    }
    closedir(d);
  }
  return u;
}

int usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s --port N [--conns N] [--requests N] [--pipeline N]\n"
               "  [--connect-batch N] [--pid PID] [--max-threads N] [--timeout-s S]\n"
               "  [--hold-ms MS] [--linger0] [--prefix P]\n",
               argv0);
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
    const char *v = nullptr;
    if (a == "--linger0") { o.linger0 = true; continue; }
    if (!(v = next())) return usage(argv[0]);
    if (a == "--port") o.port = std::atoi(v);
    else if (a == "--conns") o.conns = std::atoi(v);
    else if (a == "--requests") o.requests = std::atoi(v);
    else if (a == "--pipeline") o.pipeline = std::max(1, std::atoi(v));
    else if (a == "--connect-batch") o.connect_batch = std::max(1, std::atoi(v));
    else if (a == "--pid") o.pid = std::atoi(v);
    else if (a == "--max-threads") o.max_threads = std::atoi(v);
    else if (a == "--timeout-s") o.timeout_s = std::atof(v);
    else if (a == "--hold-ms") o.hold_ms = std::atoi(v);
    else if (a == "--prefix") o.prefix = v;
    else return usage(argv[0]);
  }
  if (o.port <= 0 || o.conns <= 0)
    return usage(argv[0]);

  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rlim_t want = static_cast<rlim_t>(o.conns) + 64;
  if (rl.rlim_cur < want) {
    rl.rlim_cur = std::min(want, rl.rlim_max);
    setrlimit(RLIMIT_NOFILE, &rl);
  }

  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(o.timeout_s));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(o.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  long rss_base = o.pid ? status_field(o.pid, "VmRSS") : -1;
  long threads_base = o.pid ? status_field(o.pid, "Threads") : -1;

  int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<std::size_t>(o.conns));
  std::vector<double> latencies_us;
  latencies_us.reserve(static_cast<std::size_t>(o.conns) * static_cast<std::size_t>(o.requests));
  long bad = 0, requests_ok = 0;
  int started = 0, connecting = 0, ready = 0, finished = 0;
  std::string first_bad;

  auto fail = [&](const char *what) {
    std::fprintf(stderr, "kvload: %s (started %d, idle %d, finished %d of %d)\n", what,
                 started, ready, finished, o.conns);
    std::exit(3);
  };

  auto request_text = [&](int c, int r, std::string &out) {
    int key = r / 2;
    if (r % 2 == 0) {
      out += "SET " + o.prefix + std::to_string(c) + "_" + std::to_string(key) + " v" +
             std::to_string(c) + "_" + std::to_string(key) + "\n";
    } else {
      out += "GET " + o.prefix + std::to_string(c) + "_" + std::to_string(key) + "\n";
    }
  };
  auto expected_reply = [&](int c, int r) {
    if (r % 2 == 0)
      return std::string("OK");
    return "VALUE v" + std::to_string(c) + "_" + std::to_string(r / 2);
  };

  auto watch = [&](int i, std::uint32_t events, bool add) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (epoll_ctl(ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, conns[i].fd, &ev) < 0)
      fail("epoll_ctl");
  };

  // Writes what it can of c.out; waits for EPOLLOUT for the rest.
  auto flush = [&](int i) {
    Conn &c = conns[i];
    while (!c.out.empty()) {
      ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN) {
        watch(i, EPOLLIN | EPOLLOUT, false);
        return;
      }
      if (n <= 0)
        fail("send failed");
      c.out.erase(0, static_cast<std::size_t>(n));
    }
    watch(i, EPOLLIN, false);
  };

  auto send_batch = [&](int i) {
    Conn &c = conns[i];
    int n = std::min(o.pipeline, o.requests - c.next_request);
    for (int k = 0; k < n; ++k)
      request_text(i, c.next_request++, c.out);
    c.in_flight = n;
    c.batch_n = n;
    c.batch_sent = Clock::now();
    flush(i);
  };

  auto start_connect = [&]() {
    int i = started++;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      fail("socket (raise ulimit -n)");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conns[i].fd = fd;
    int rc = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    if (rc < 0 && errno != EINPROGRESS)
      fail("connect failed");
    ++connecting;
    watch(i, EPOLLOUT, true);
  };

  // Phase 1: connect everything, one PING each.
  std::vector<epoll_event> events(1024);
  auto connect_start = Clock::now();
  while (started < o.conns && connecting < o.connect_batch)
    start_connect();
  Clock::time_point run_start{};
  Usage client_before, server_before;
  bool running = false;
  while (finished < o.conns) {
    if (Clock::now() > deadline)
      fail("timed out");
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR)
      fail("epoll_wait");
    for (int e = 0; e < n; ++e) {
      int i = static_cast<int>(events[e].data.u32);
      Conn &c = conns[i];
      if (c.state == State::Connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          std::fprintf(stderr, "kvload: connect: %s\n", std::strerror(err));
          fail("connect failed");
        }
        --connecting;
        c.state = State::Pinging;
        c.out = "PING\n";
        flush(i);
        while (started < o.conns && connecting < o.connect_batch)
          start_connect();
        continue;
      }
      if ((events[e].events & EPOLLOUT) && !c.out.empty())
        flush(i);
      if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        continue;
      char buf[4096];
      ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
      if (r < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (r <= 0)
        fail("the server closed a connection");
      c.in.append(buf, static_cast<std::size_t>(r));
      std::size_t pos;
      while ((pos = c.in.find('\n')) != std::string::npos) {
        std::string line = c.in.substr(0, pos);
        c.in.erase(0, pos + 1);
        if (c.state == State::Pinging) {
          if (line != "PONG")
            fail("bad reply to PING");
          c.state = State::Idle;
          ++ready;
        } else if (c.state == State::Running) {
          std::string want = expected_reply(i, c.answered);
          if (line == want) {
            ++requests_ok;
          } else {
            if (bad++ == 0)
              first_bad = "connection " + std::to_string(i) + ": got '" + line +
                          "', expected '" + want + "'";
          }
          ++c.answered;
          if (--c.in_flight == 0) {
            double us = std::chrono::duration<double, std::micro>(Clock::now() - c.batch_sent).count();
            // Every request of the batch waited this long.
            for (int j = 0; j < c.batch_n; ++j)
              latencies_us.push_back(us);
            if (c.next_request < o.requests) {
              send_batch(i);
            } else {
              c.state = State::Done;
              ++finished;
            }
          }
        } else {
          fail("unexpected data from the server");
        }
      }
    }
    if (!running && ready == o.conns) {
      // Everything is open and idle: look at the server now.
      double connect_s = std::chrono::duration<double>(Clock::now() - connect_start).count();
      std::printf("connections_open %d\n", ready);
      std::printf("connect_seconds %.3f\n", connect_s);
      if (o.pid) {
        std::this_thread::sleep_for(std::chrono::milliseconds(o.hold_ms));
        long threads = status_field(o.pid, "Threads");
        long rss = status_field(o.pid, "VmRSS");
        std::printf("server_threads_before %ld\n", threads_base);
        std::printf("server_threads_open %ld\n", threads);
        std::printf("server_rss_base_kib %ld\n", rss_base);
        std::printf("server_rss_open_kib %ld\n", rss);
        std::printf("server_rss_per_conn_bytes %.0f\n",
                    (static_cast<double>(rss - rss_base) * 1024.0) / o.conns);
        if (o.max_threads > 0 && (threads < 0 || threads > o.max_threads)) {
          std::printf("FAIL: the server runs %ld threads with %d connections open (at most %d)\n",
                      threads, o.conns, o.max_threads);
          std::fflush(stdout);
          return 1;
        }
      }
      std::fflush(stdout);
      running = true;
      if (o.pid)
        server_before = usage_of(o.pid);
      client_before = usage_of(0);
      run_start = Clock::now();
      if (o.requests == 0) {
        finished = o.conns;
      } else {
        for (int i = 0; i < o.conns; ++i) {
          conns[i].state = State::Running;
          send_batch(i);
        }
      }
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  Usage client_after = usage_of(0);
  Usage server_after = o.pid ? usage_of(o.pid) : Usage{};
  for (Conn &c : conns) {
    if (o.linger0) {
      linger l{1, 0};
      setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(c.fd);
  }
  ::close(ep);

  long total = static_cast<long>(o.conns) * o.requests;
  std::printf("requests %ld\n", total);
  std::printf("replies_ok %ld\n", requests_ok);
  std::printf("replies_bad %ld\n", bad);
  if (total > 0) {
    std::sort(latencies_us.begin(), latencies_us.end());
    auto pct = [&](double p) {
      if (latencies_us.empty())
        return 0.0;
      std::size_t idx = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1));
      return latencies_us[idx];
    };
    std::printf("seconds %.3f\n", seconds);
    std::printf("requests_per_second %.0f\n", static_cast<double>(total) / seconds);
    std::printf("latency_p50_us %.0f\n", pct(0.50));
    std::printf("latency_p99_us %.0f\n", pct(0.99));
    // The request phase's CPU (share of one CPU) and context switches.
    auto print_usage = [&](const char *who, const Usage &a, const Usage &b) {
      if (a.cpu_s < 0 || b.cpu_s < 0)
        return;
      std::printf("%s_cpu_seconds %.2f\n", who, b.cpu_s - a.cpu_s);
      std::printf("%s_cpu_share %.2f\n", who, (b.cpu_s - a.cpu_s) / seconds);
      if (a.voluntary >= 0 && b.voluntary >= 0) {
        std::printf("%s_ctxt_switches_voluntary %ld\n", who, b.voluntary - a.voluntary);
        std::printf("%s_ctxt_switches_nonvoluntary %ld\n", who, b.nonvoluntary - a.nonvoluntary);
      }
    };
    print_usage("client", client_before, client_after);
    if (o.pid && running)
      print_usage("server", server_before, server_after);
  }
  if (bad) {
    std::printf("FAIL: %ld wrong replies; first: %s\n", bad, first_bad.c_str());
    return 1;
  }
  if (requests_ok != total) {
    std::printf("FAIL: %ld replies of %ld\n", requests_ok, total);
    return 1;
  }
  std::printf("OK\n");
  return 0;
}
