#include "record.h"
#include "token.h"

#include <cstring>

namespace {

bool to_int(const Token &t, std::int64_t &out) {
  int i = 0;
  bool negative = t.len > 0 && t.text[0] == '-';
  if (negative)
    i = 1;
  if (i == t.len)
    return false;
  std::int64_t v = 0;
  for (; i < t.len; ++i) {
    if (t.text[i] < '0' || t.text[i] > '9')
      return false;
    v = v * 10 + (t.text[i] - '0');
  }
  out = negative ? -v : v;
  return true;
}

} // namespace

bool next_record(Source &s, Record &r) {
  Token t;
  for (;;) {
    int end = next_token(s, t);
    if (end == -1)
      return false;
    std::int64_t id = 0;
    bool ok = end == ',' && to_int(t, id);
    if (ok) {
      r.id = static_cast<std::uint64_t>(id);
      end = next_token(s, t);
      ok = end == ',';
      std::memset(r.account, 0, sizeof r.account);
      std::memcpy(r.account, t.text, static_cast<std::size_t>(t.len));
    }
    if (ok) {
      end = next_token(s, t);
      ok = end == ',' && to_int(t, r.amount);
    }
    if (ok) {
      end = next_token(s, t);
      ok = end == '\n' && t.len == 3;
      std::memcpy(r.currency, t.text, 3);
    }
    if (ok)
      return true;
    // Skip the rest of a malformed line.
    while (end != '\n' && end != -1)
      end = next_token(s, t);
  }
}
