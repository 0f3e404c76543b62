#include "token.h"

int next_token(Source &s, Token &t) {
  t.len = 0;
  int b = next_byte(s);
  if (b == -1)
    return -1;
  while (b != -1 && b != ',' && b != '\n') {
    if (t.len < static_cast<int>(sizeof t.text))
      t.text[t.len++] = static_cast<char>(b);
    b = next_byte(s);
  }
  return b == -1 ? '\n' : b;
}
