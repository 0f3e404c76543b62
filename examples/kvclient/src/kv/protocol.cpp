// Encoding requests and decoding replies of the KV line protocol.
#include "kv/protocol.h"

#include <charconv>
#include <string_view>

namespace kv {
namespace {

// Larger arrays are taken as a corrupt header rather than allocated.
constexpr long long max_array_items = 100000;

long long parse_integer(std::string_view text, std::string_view what) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw ProtocolError("bad " + std::string(what) + " '" + std::string(text) +
                        "'");
  return value;
}

// An array item is a value line; anything else means we lost sync.
std::string read_item(net::LineReader &in, std::chrono::milliseconds timeout) {
  std::string line = in.read_line(timeout);
  if (line.empty() || line.front() != '$')
    throw ProtocolError("expected a value line in an array, got '" + line + "'");
  return line.substr(1);
}

} // namespace

std::string encode_command(const std::vector<std::string> &args) {
  if (args.empty())
    throw std::invalid_argument("empty command");
  std::string line;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &word = args[i];
    bool last = i + 1 == args.size();
    if (word.empty() && !last)
      throw std::invalid_argument("empty word in command");
    if (word.find_first_of(last ? "\r\n" : " \r\n") != std::string::npos)
      throw std::invalid_argument("word '" + word + "' cannot be sent");
    if (i)
      line += ' ';
    line += word;
  }
  line += '\n';
  return line;
}

Reply read_reply(net::LineReader &in, std::chrono::milliseconds timeout) {
  const std::string line = in.read_line(timeout);
  if (line.empty())
    throw ProtocolError("empty reply line");
  std::string_view body(line);
  body.remove_prefix(1);

  Reply reply;
  switch (line.front()) {
  case '+':
    reply.kind = Reply::Kind::Status;
    reply.text = body;
    return reply;
  case '-':
    reply.kind = Reply::Kind::Error;
    reply.text = body;
    return reply;
  case '$':
    reply.kind = Reply::Kind::Value;
    reply.text = body;
    return reply;
  case '_':
    reply.kind = Reply::Kind::Nil;
    return reply;
  case ':':
    reply.kind = Reply::Kind::Integer;
    reply.integer = parse_integer(body, "integer reply");
    return reply;
  case '*': {
    long long count = parse_integer(body, "array length");
    if (count < 0 || count > max_array_items)
      throw ProtocolError("array length " + std::to_string(count) +
                          " out of range");
    reply.kind = Reply::Kind::Array;
    reply.items.reserve(static_cast<std::size_t>(count));
    for (long long i = 0; i < count; ++i)
      reply.items.push_back(read_item(in, timeout));
    return reply;
  }
  default:
    throw ProtocolError("unknown reply type in '" + line + "'");
  }
}

Reply expect_success(Reply reply) {
  if (reply.kind == Reply::Kind::Error)
    throw ServerError(reply.text);
  return reply;
}

std::string describe(const Reply &reply) {
  switch (reply.kind) {
  case Reply::Kind::Status:
    return reply.text;
  case Reply::Kind::Error:
    return "(error) " + reply.text;
  case Reply::Kind::Value:
    return '"' + reply.text + '"';
  case Reply::Kind::Nil:
    return "(nil)";
  case Reply::Kind::Integer:
    return "(integer) " + std::to_string(reply.integer);
  case Reply::Kind::Array: {
    std::string out = "[";
    for (const std::string &item : reply.items)
      out += (out.size() > 1 ? ", \"" : "\"") + item + '"';
    return out + "]";
  }
  }
  return "?";
}

} // namespace kv
