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
//
// For a soak (test/examples/kvserver-converted-asan-soak.test):
// --until-file F keeps every connection going round its --requests again
// (the same keys and values, every reply still checked) until F exists, so
// that its connections stay busy for as long as the harness's faults last
// however fast the machine is; --gap-ms N makes each connection wait N ms
// between its batches, so that they do so without taking a whole CPU.
// --storm instead opens --conns connections at once, gets a PONG on each
// (so the server holds them all), gives each a part (below, run_storm) and
// drops them all at once: plain close or RST, idle, mid-request, with a
// reply in flight, and --mid-reply of them while the server is writing a
// reply of several MiB.
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
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
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
  std::string until_file;
  int gap_ms = 0;
  bool storm = false;
  int mid_reply = 16;
  int big_value = 60000;
  int big_gets = 160;
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
  Clock::time_point due; // with --gap-ms: when the next batch goes
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
               "  [--hold-ms MS] [--linger0] [--prefix P] [--until-file F] [--gap-ms MS]\n"
               "  [--storm [--mid-reply N] [--big-value BYTES] [--big-gets N]]\n",
               argv0);
  return 2;
}

// A blocking connection for the storm's set-up and check; a timeout on
// both directions so that a server that stopped answering fails the run.
int connect_blocking(const sockaddr_in &addr) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) < 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends request (one line) and returns the reply line, "" on failure.
std::string ask(int fd, const std::string &request) {
  std::string_view rest = request;
  while (!rest.empty()) {
    ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return "";
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  std::string reply;
  char ch;
  for (;;) {
    ssize_t n = ::recv(fd, &ch, 1, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return "";
    if (ch == '\n')
      return reply;
    reply.push_back(ch);
  }
}

// Sends all of data on a connection that has room for it (a fresh one).
bool send_small(int fd, const std::string &data) {
  ssize_t n;
  do {
    n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(data.size());
}

// The storm (--storm): --conns connections opened at once and dropped.
// Every connection gets a PING answered first, so that the server has
// accepted and is serving all of them at the same moment (not some still
// in the listen queue). Then, by index:
//   - the first --mid-reply: --big-gets pipelined GETs of one --big-value
//     value (about 9.6 MB of replies with the defaults). Loopback takes
//     about 4 MB from a sender whose peer does not read (the send buffer
//     grows to tcp_wmem's 4 MiB), so the server cannot have written it all:
//     once the first bytes of the reply have come, and a moment later, the
//     connection is reset while the server is in the middle of the reply;
//   - the others in turn: nothing more, closed; nothing more, reset; half a
//     request line, closed; half a line, reset; a PING whose PONG is never
//     read, closed (the unread data makes the close a reset too); a PING
//     not read, reset.
// They are then all dropped in one loop. Afterwards a fresh connection
// checks that the server answers and that no half line was executed.
// Exit status 0 only if all of that held, within --timeout-s.
int run_storm(const Options &o, const sockaddr_in &addr, Clock::time_point deadline) {
  enum class Part { MidReply, Close, Reset, HalfLineClose, HalfLineReset, PingClose, PingReset };
  static const char *const part_names[] = {"mid_reply_reset", "idle_close",       "idle_reset",
                                           "half_line_close", "half_line_reset",  "ping_close",
                                           "ping_reset"};
  const std::string big_key = o.prefix + "big";
  {
    int fd = connect_blocking(addr);
    if (fd < 0) {
      std::fprintf(stderr, "kvload: storm: cannot connect\n");
      return 3;
    }
    std::string value(static_cast<std::size_t>(o.big_value), 'b');
    std::string reply = ask(fd, "SET " + big_key + " " + value + "\n");
    ::close(fd);
    if (reply != "OK") {
      std::fprintf(stderr, "kvload: storm: SET of the big value got '%s'\n", reply.c_str());
      return 3;
    }
  }
  auto part_of = [&](int i) {
    if (i < o.mid_reply)
      return Part::MidReply;
    return static_cast<Part>(1 + (i - o.mid_reply) % 6);
  };

  struct StormConn {
    int fd = -1;
    bool connected = false;
    std::string in;
  };
  std::vector<StormConn> conns(static_cast<std::size_t>(o.conns));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int started = 0, connecting = 0, ready = 0;
  auto fail = [&](const char *what) {
    std::fprintf(stderr, "kvload: storm: %s (started %d, answered %d of %d)\n", what, started,
                 ready, o.conns);
    std::exit(3);
  };
  auto watch = [&](int i, std::uint32_t events, int op) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (epoll_ctl(ep, op, conns[i].fd, &ev) < 0)
      fail("epoll_ctl");
  };
  auto start_connect = [&]() {
    int i = started++;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      fail("socket (raise ulimit -n)");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conns[i].fd = fd;
    int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    if (rc < 0 && errno != EINPROGRESS)
      fail("connect failed");
    ++connecting;
    watch(i, EPOLLOUT, EPOLL_CTL_ADD);
  };

  // Phase 1: everything connected and answered a PING.
  auto connect_start = Clock::now();
  std::vector<epoll_event> events(1024);
  while (started < o.conns && connecting < o.connect_batch)
    start_connect();
  while (ready < o.conns) {
    if (Clock::now() > deadline)
      fail("timed out opening the connections");
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR)
      fail("epoll_wait");
    for (int e = 0; e < n; ++e) {
      int i = static_cast<int>(events[e].data.u32);
      StormConn &c = conns[i];
      if (!c.connected) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          std::fprintf(stderr, "kvload: storm: connect: %s\n", std::strerror(err));
          fail("connect failed");
        }
        c.connected = true;
        --connecting;
        if (!send_small(c.fd, "PING\n"))
          fail("send of a PING failed");
        watch(i, EPOLLIN, EPOLL_CTL_MOD);
        while (started < o.conns && connecting < o.connect_batch)
          start_connect();
        continue;
      }
      char buf[64];
      ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
      if (r < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (r <= 0)
        fail("the server closed a connection before its PONG");
      c.in.append(buf, static_cast<std::size_t>(r));
      if (c.in.find('\n') == std::string::npos)
        continue;
      if (c.in != "PONG\n")
        fail("bad reply to PING");
      c.in.clear();
      ++ready;
      watch(i, 0, EPOLL_CTL_DEL);
    }
  }
  std::printf("storm_open %d\n", ready);
  if (o.pid) {
    // What the server holds now: every storm connection at once.
    int fds = 0;
    if (DIR *d = opendir(("/proc/" + std::to_string(o.pid) + "/fd").c_str())) {
      while (dirent *e = readdir(d))
        fds += e->d_name[0] != '.';
      closedir(d);
    }
    std::printf("storm_server_fds %d\n", fds);
  }
  std::printf("storm_connect_seconds %.3f\n",
              std::chrono::duration<double>(Clock::now() - connect_start).count());

  // Phase 2: every connection plays its part.
  std::string gets;
  for (int k = 0; k < o.big_gets; ++k)
    gets += "GET " + big_key + "\n";
  int counts[7] = {};
  int replies_pending = 0;
  for (int i = 0; i < o.conns; ++i) {
    Part p = part_of(i);
    ++counts[static_cast<int>(p)];
    switch (p) {
    case Part::MidReply:
      if (!send_small(conns[i].fd, gets))
        fail("send of the pipelined GETs failed");
      watch(i, EPOLLIN, EPOLL_CTL_ADD);
      ++replies_pending;
      break;
    case Part::HalfLineClose:
    case Part::HalfLineReset:
      if (!send_small(conns[i].fd, "SET " + o.prefix + "half" + std::to_string(i) + " abc"))
        fail("send of a half line failed");
      break;
    case Part::PingClose:
    case Part::PingReset:
      if (!send_small(conns[i].fd, "PING\n"))
        fail("send of a PING failed");
      break;
    default:
      break;
    }
  }
  // The large replies have begun: the server is writing them. Each is read
  // once (a few KiB of it), then left unread.
  while (replies_pending > 0) {
    if (Clock::now() > deadline)
      fail("timed out waiting for the large replies to begin");
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR)
      fail("epoll_wait");
    for (int e = 0; e < n; ++e) {
      int i = static_cast<int>(events[e].data.u32);
      char buf[4096];
      ssize_t r = ::recv(conns[i].fd, buf, sizeof buf, 0);
      if (r < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (r <= 0)
        fail("the server closed a connection before its large reply");
      std::size_t got = static_cast<std::size_t>(std::min<ssize_t>(r, 6));
      if (std::string_view(buf, got) != std::string_view("VALUE ").substr(0, got))
        fail("the large reply does not begin with VALUE");
      --replies_pending;
      watch(i, 0, EPOLL_CTL_DEL);
    }
  }
  // A moment for the server to fill the socket's buffers and block in its
  // send, and for the PINGs and half lines to reach it.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  // Phase 3: all dropped at once, resets by SO_LINGER 0.
  for (int i = 0; i < o.conns; ++i) {
    Part p = part_of(i);
    if (p == Part::MidReply || p == Part::Reset || p == Part::HalfLineReset ||
        p == Part::PingReset) {
      linger l{1, 0};
      setsockopt(conns[i].fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(conns[i].fd);
  }
  ::close(ep);
  std::printf("storm_dropped %d:", o.conns);
  for (int k = 0; k < 7; ++k)
    std::printf(" %s %d", part_names[k], counts[k]);
  std::printf("\n");

  // The server still answers, and what the half lines began never ran.
  int fd = connect_blocking(addr);
  if (fd < 0)
    fail("cannot connect after the storm");
  std::string pong = ask(fd, "PING\n");
  int half = -1;
  for (int i = 0; i < o.conns && half < 0; ++i)
    if (part_of(i) == Part::HalfLineClose)
      half = i;
  std::string nil =
      half < 0 ? "NIL" : ask(fd, "GET " + o.prefix + "half" + std::to_string(half) + "\n");
  ::close(fd);
  if (pong != "PONG")
    fail("no PONG after the storm");
  if (nil != "NIL")
    fail("a half request line was executed");
  std::printf("storm ok\n");
  std::fflush(stdout);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
    const char *v = nullptr;
    if (a == "--linger0") { o.linger0 = true; continue; }
    if (a == "--storm") { o.storm = true; continue; }
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
    else if (a == "--until-file") o.until_file = v;
    else if (a == "--gap-ms") o.gap_ms = std::max(0, std::atoi(v));
    else if (a == "--mid-reply") o.mid_reply = std::max(0, std::atoi(v));
    else if (a == "--big-value") o.big_value = std::max(1, std::atoi(v));
    else if (a == "--big-gets") o.big_gets = std::max(1, std::atoi(v));
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
  if (o.storm)
    return run_storm(o, addr, deadline);

  long rss_base = o.pid ? status_field(o.pid, "VmRSS") : -1;
  long threads_base = o.pid ? status_field(o.pid, "Threads") : -1;

  int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<std::size_t>(o.conns));
  std::vector<double> latencies_us;
  latencies_us.reserve(static_cast<std::size_t>(o.conns) * static_cast<std::size_t>(o.requests));
  long bad = 0, requests_ok = 0, requests_sent = 0;
  std::vector<int> waiting; // with --gap-ms: connections between batches
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
    requests_sent += n;
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
    int timeout_ms = 100;
    if (!waiting.empty()) {
      auto first = std::min_element(waiting.begin(), waiting.end(), [&](int a, int b) {
        return conns[a].due < conns[b].due;
      });
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(conns[*first].due -
                                                                      Clock::now())
                    .count();
      timeout_ms = static_cast<int>(std::clamp<long long>(ms + 1, 0, 100));
    }
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
    if (n < 0 && errno != EINTR)
      fail("epoll_wait");
    if (!waiting.empty()) {
      auto now = Clock::now();
      std::vector<int> still;
      for (int i : waiting) {
        if (conns[i].due <= now)
          send_batch(i);
        else
          still.push_back(i);
      }
      waiting.swap(still);
    }
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
            if (c.next_request == o.requests && !o.until_file.empty() &&
                ::access(o.until_file.c_str(), F_OK) != 0) {
              // Another lap over the same keys until the file appears.
              c.next_request = 0;
              c.answered = 0;
            }
            if (c.next_request < o.requests) {
              if (o.gap_ms > 0) {
                c.due = Clock::now() + std::chrono::milliseconds(o.gap_ms);
                waiting.push_back(i);
              } else {
                send_batch(i);
              }
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

  // Every request sent was answered (the loop ends when every connection
  // is done); without --until-file that is --conns times --requests.
  long total = requests_sent;
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
