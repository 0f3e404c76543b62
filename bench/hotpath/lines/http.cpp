#include "http.h"
#include "line.h"

#include <cctype>
#include <cstring>

namespace {

bool equals_nocase(const std::string &s, std::size_t n, const char *name) {
  if (n != std::strlen(name))
    return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != name[i])
      return false;
  return true;
}

std::uint64_t fnv(std::uint64_t h, const char *p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
  return h;
}

} // namespace

bool read_request_head(ByteReader &r, RequestHead &head) {
  std::string line;
  if (!read_line(r, line))
    return false;
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos)
    return false;
  head.method.assign(line, 0, sp1);
  head.target.assign(line, sp1 + 1, sp2 - sp1 - 1);
  head.headers = 0;
  head.content_length = 0;
  head.keep_alive = true;
  head.hash = 14695981039346656037ull;
  while (read_line(r, line) && !line.empty()) {
    std::size_t colon = line.find(':');
    if (colon == std::string::npos)
      return false;
    std::size_t v = colon + 1;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t'))
      ++v;
    ++head.headers;
    head.hash = fnv(head.hash, line.data(), colon);
    head.hash = fnv(head.hash, line.data() + v, line.size() - v);
    if (equals_nocase(line, colon, "content-length"))
      head.content_length = std::strtoul(line.c_str() + v, nullptr, 10);
    else if (equals_nocase(line, colon, "connection"))
      head.keep_alive = line.compare(v, std::string::npos, "close") != 0;
  }
  return true;
}
