// kvclient: runs a script of KV commands (standard input, one per line)
// against a server and prints each result, like an interactive client would.
//
//   kvclient [--timeout-ms N] [--retries N] HOST PORT < script
//
// Script commands: ping | get K | mget K... | set K VALUE... | del K |
// incr K [N] | keys [PREFIX] | raw WORD... | close. Blank lines and lines
// starting with '#' are skipped. Exit status 1 if any command failed.
#include "kv/client.h"

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Usage : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string> split_words(const std::string &line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;)
    words.push_back(word);
  return words;
}

// The words from index first on, joined again: values may contain spaces.
std::string rest_of(const std::vector<std::string> &words, std::size_t first) {
  std::string out;
  for (std::size_t i = first; i < words.size(); ++i)
    out += (i > first ? " " : "") + words[i];
  return out;
}

std::string quoted(const std::optional<std::string> &value) {
  return value ? '"' + *value + '"' : "(nil)";
}

void need_args(const std::vector<std::string> &words, std::size_t min,
               std::size_t max) {
  std::size_t n = words.size() - 1;
  if (n < min || n > max)
    throw Usage("wrong number of arguments for '" + words[0] + "'");
}

// Runs one script command and prints its result.
void run_command(kv::Client &client, const std::vector<std::string> &words,
                 std::ostream &out) {
  const std::string &cmd = words[0];
  if (cmd == "ping") {
    need_args(words, 0, 0);
    out << client.ping() << '\n';
  } else if (cmd == "get") {
    need_args(words, 1, 1);
    out << quoted(client.get(words[1])) << '\n';
  } else if (cmd == "mget") {
    need_args(words, 1, 64);
    std::vector<std::string> keys(words.begin() + 1, words.end());
    auto values = client.get_many(keys);
    for (std::size_t i = 0; i < keys.size(); ++i)
      out << keys[i] << " = " << quoted(values[i]) << '\n';
  } else if (cmd == "set") {
    need_args(words, 2, 64);
    client.set(words[1], rest_of(words, 2));
    out << "OK\n";
  } else if (cmd == "del") {
    need_args(words, 1, 1);
    out << (client.del(words[1]) ? "deleted" : "not found") << '\n';
  } else if (cmd == "incr") {
    need_args(words, 1, 2);
    long long by = words.size() > 2 ? std::stoll(words[2]) : 1;
    long long value = client.incr(words[1], by);
    out << "(integer) " << value << '\n';
  } else if (cmd == "keys") {
    need_args(words, 0, 1);
    const std::string prefix = words.size() > 1 ? words[1] : "";
    const auto found = client.keys(prefix);
    out << found.size() << " key(s)";
    for (const std::string &key : found)
      out << ' ' << key;
    out << '\n';
  } else if (cmd == "raw") {
    need_args(words, 1, 64);
    out << kv::describe(client.command({words.begin() + 1, words.end()}))
        << '\n';
  } else if (cmd == "close") {
    need_args(words, 0, 0);
    client.close();
    out << "closed\n";
  } else {
    throw Usage("unknown command '" + cmd + "'");
  }
}

kv::ClientOptions parse_options(int argc, char **argv) {
  kv::ClientOptions options;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--timeout-ms" || arg == "--retries") && i + 1 < argc) {
      int value = std::atoi(argv[++i]);
      if (arg == "--retries")
        options.retries = value;
      else
        options.timeout = std::chrono::milliseconds(value);
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2)
    throw Usage("usage: kvclient [--timeout-ms N] [--retries N] HOST PORT");
  options.host = positional[0];
  options.port = static_cast<std::uint16_t>(std::stoi(positional[1]));
  return options;
}

} // namespace

int main(int argc, char **argv) {
  kv::ClientOptions options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception &e) {
    std::cerr << e.what() << '\n';
    return 2;
  }

  kv::Client client(options);
  int failures = 0;
  std::string line;
  for (int lineno = 1; std::getline(std::cin, line); ++lineno) {
    const auto words = split_words(line);
    if (words.empty() || words[0].front() == '#')
      continue;
    try {
      run_command(client, words, std::cout);
      continue;
    } catch (const kv::ServerError &e) {
      std::cout << "line " << lineno << ": server error: " << e.what() << '\n';
    } catch (const kv::net::Timeout &e) {
      std::cout << "line " << lineno << ": timeout: " << e.what() << '\n';
    } catch (const kv::net::ConnectionLost &e) {
      std::cout << "line " << lineno << ": connection lost: " << e.what()
                << '\n';
    } catch (const std::exception &e) {
      std::cout << "line " << lineno << ": error: " << e.what() << '\n';
    }
    ++failures;
  }
  client.close();
  std::cout << "reconnects: " << client.reconnects() << '\n';
  return failures ? 1 : 0;
}
