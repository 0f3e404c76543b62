#include "kvserver/protocol.h"

#include "kvserver/store.h"

#include <charconv>

namespace kvs {
namespace {

// Splits off the first space-separated word of rest.
std::string_view next_word(std::string_view &rest) {
  std::size_t start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(start);
  std::size_t end = rest.find(' ');
  std::string_view word = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  return word;
}

bool only_spaces(std::string_view s) {
  return s.find_first_not_of(' ') == std::string_view::npos;
}

void reply(std::string &out, std::string_view a, std::string_view b = {}) {
  out.append(a);
  if (!b.empty()) {
    out.push_back(' ');
    out.append(b);
  }
  out.push_back('\n');
}

} // namespace

After execute(std::string_view line, Store &store, std::string &out) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  std::string_view rest = line;
  std::string_view cmd = next_word(rest);
  if (cmd == "PING" && only_spaces(rest)) {
    reply(out, "PONG");
  } else if (cmd == "GET") {
    std::string_view key = next_word(rest);
    if (key.empty() || !only_spaces(rest)) {
      reply(out, "ERR usage: GET <key>");
    } else if (auto value = store.get(std::string(key))) {
      out.append("VALUE ");
      out.append(*value);
      out.push_back('\n');
    } else {
      reply(out, "NIL");
    }
  } else if (cmd == "SET") {
    std::string_view key = next_word(rest);
    if (key.empty() || rest.empty() || rest.front() != ' ') {
      reply(out, "ERR usage: SET <key> <value>");
    } else {
      store.set(std::string(key), std::string(rest.substr(1)));
      reply(out, "OK");
    }
  } else if (cmd == "DEL") {
    std::string_view key = next_word(rest);
    if (key.empty() || !only_spaces(rest))
      reply(out, "ERR usage: DEL <key>");
    else
      reply(out, store.del(std::string(key)) ? "DELETED" : "NOT_FOUND");
  } else if (cmd == "INCR") {
    std::string_view key = next_word(rest);
    std::string_view by_text = next_word(rest);
    long long by = 1;
    if (!by_text.empty()) {
      auto [ptr, ec] =
          std::from_chars(by_text.data(), by_text.data() + by_text.size(), by);
      if (ec != std::errc() || ptr != by_text.data() + by_text.size())
        key = {};
    }
    if (key.empty() || !only_spaces(rest)) {
      reply(out, "ERR usage: INCR <key> [by]");
    } else if (auto n = store.incr(std::string(key), by)) {
      reply(out, "INT", std::to_string(*n));
    } else {
      reply(out, "ERR not an integer");
    }
  } else if (cmd == "SIZE" && only_spaces(rest)) {
    reply(out, "INT", std::to_string(store.size()));
  } else if (cmd == "QUIT" && only_spaces(rest)) {
    reply(out, "BYE");
    return After::Close;
  } else if (cmd == "SHUTDOWN" && only_spaces(rest)) {
    reply(out, "BYE");
    return After::Shutdown;
  } else if (cmd.empty()) {
    reply(out, "ERR empty request");
  } else {
    out.append("ERR unknown command '");
    out.append(cmd);
    out.append("'\n");
  }
  return After::Continue;
}

} // namespace kvs
