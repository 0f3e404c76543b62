// Splits a source into comma-separated fields of newline-terminated records.
#pragma once
#include "source.h"

struct Token {
  char text[32]; ///< not terminated; longer fields are cut at 32 bytes
  int len = 0;
};

/// Reads one field into `t`; returns what ended it (',' or '\n'), or -1 at
/// end of input with nothing read.
int next_token(Source &s, Token &t);
