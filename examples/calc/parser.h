// Expressions over doubles: + - * / ( ) and unary minus, one per line.
#pragma once
#include "reader.h"
#include <optional>
#include <string>

struct Result {
  std::optional<double> value; ///< Empty when the line had an error.
  std::string error;
};

/// Parses and evaluates one line; false at end of input.
bool evaluate_line(Reader &in, Result &out);
