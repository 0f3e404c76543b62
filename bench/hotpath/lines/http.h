// An HTTP/1.1 request head parser: the request line, then "Name: value"
// header lines up to an empty line.
#pragma once
#include "reader.h"
#include <cstddef>
#include <cstdint>
#include <string>

struct RequestHead {
  std::string method, target;
  std::size_t headers = 0;        ///< header lines
  std::size_t content_length = 0; ///< from Content-Length, else 0
  bool keep_alive = true;
  std::uint64_t hash = 0;         ///< of the header names and values
};

/// Reads one request head; false at end of input or on a malformed head.
bool read_request_head(ByteReader &r, RequestHead &head);
