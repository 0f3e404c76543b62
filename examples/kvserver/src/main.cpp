// kvserver [--port N] [--port-file FILE]: serves the line protocol on
// 127.0.0.1 until a client sends SHUTDOWN. Prints the port it listens on.
#include "kvserver/server.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>

int main(int argc, char **argv) {
  std::uint16_t port = 0;
  std::string port_file;
  std::string host = "127.0.0.1";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--port" && i + 1 < argc) {
      port = static_cast<std::uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--port-file" && i + 1 < argc) {
      port_file = argv[++i];
    } else if (arg == "--host" && i + 1 < argc) {
      host = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--host ADDR] [--port N] [--port-file FILE]\n", argv[0]);
      return 2;
    }
  }
  std::signal(SIGPIPE, SIG_IGN);
  try {
    kvs::Server server(port, host);
    if (!port_file.empty()) {
      std::string tmp = port_file + ".tmp";
      std::ofstream(tmp) << server.port() << "\n";
      std::rename(tmp.c_str(), port_file.c_str());
    }
    std::printf("kvserver: listening on %s:%u\n", host.c_str(), server.port());
    std::fflush(stdout);
    server.serve();
    std::printf("kvserver: stopped\n");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "kvserver: %s\n", e.what());
    return 1;
  }
  return 0;
}
