// The KV line protocol. A request is one line of space-separated words; a
// reply starts with a type character:
//
//   +text      status (e.g. +OK, +PONG)      :123    integer
//   -text      error from the server          _       nil (no such key)
//   $text      a value                        *N      N value lines follow
#pragma once

#include "net/line_reader.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace kv {

/// The server sent something that is not a valid reply.
class ProtocolError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The server answered with an error reply ("-..."); what() is its text.
class ServerError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Reply {
  enum class Kind { Status, Error, Value, Nil, Integer, Array };

  Kind kind = Kind::Nil;
  std::string text;               ///< Status, Error and Value replies.
  long long integer = 0;          ///< Integer replies.
  std::vector<std::string> items; ///< Array replies.
};

/// The request line for args (with its "\n"). Words must be non-empty and
/// hold no space or line break, except the last, which may hold spaces.
std::string encode_command(const std::vector<std::string> &args);

/// Reads one complete reply (for arrays, the header and every item).
Reply read_reply(net::LineReader &in, std::chrono::milliseconds timeout);

/// Throws ServerError for an error reply, otherwise returns it unchanged.
Reply expect_success(Reply reply);

/// A one-line human-readable rendering, as the command line prints it.
std::string describe(const Reply &reply);

} // namespace kv
