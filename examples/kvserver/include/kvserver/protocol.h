#pragma once
// The line protocol, shared by the server and the client. One request per
// line ('\n', an optional '\r' before it is ignored), one reply line each:
//
//   PING              -> PONG
//   GET <key>         -> VALUE <value> | NIL
//   SET <key> <value> -> OK            (value: the rest of the line)
//   DEL <key>         -> DELETED | NOT_FOUND
//   INCR <key> [by]   -> INT <n> | ERR not an integer
//   SIZE              -> INT <number of keys>
//   QUIT              -> BYE, then the server closes the connection
//   SHUTDOWN          -> BYE, then the server stops (closes every connection)
//   anything else     -> ERR <reason>
//
// Keys are non-empty and contain no space; a line is at most
// max_line_length bytes, longer ones get "ERR line too long" and the
// connection is closed.
#include <cstddef>
#include <string>
#include <string_view>

namespace kvs {

class Store;

inline constexpr std::size_t max_line_length = 64 * 1024;

enum class After { Continue, Close, Shutdown };

/// Executes one request line (without its '\n') against store and appends
/// the reply line, '\n' included, to out.
After execute(std::string_view line, Store &store, std::string &out);

} // namespace kvs
