#include "line.h"

bool read_line(ByteReader &r, std::string &line) {
  line.clear();
  int b = get_byte(r);
  if (b == -1)
    return false;
  while (b != -1 && b != '\n') {
    line.push_back(static_cast<char>(b));
    b = get_byte(r);
  }
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return true;
}
