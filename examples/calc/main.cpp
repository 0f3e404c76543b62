// calc: evaluates one arithmetic expression per line of standard input.
#include "parser.h"

#include <cstdio>
#include <unistd.h>

int main() {
  Reader in(STDIN_FILENO);
  Result r;
  int line = 0, errors = 0;
  while (evaluate_line(in, r)) {
    ++line;
    if (r.value) {
      std::printf("%g\n", *r.value);
    } else {
      std::printf("line %d: error: %s\n", line, r.error.c_str());
      ++errors;
    }
  }
  return errors ? 1 : 0;
}
