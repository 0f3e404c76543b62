#include "parser.h"

#include <cctype>
#include <stdexcept>

namespace {

struct SyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double parse_expr(Reader &in);

double parse_number(Reader &in) {
  std::string digits;
  while (std::isdigit(in.peek()) || in.peek() == '.')
    digits += static_cast<char>(in.get());
  if (digits.empty())
    throw SyntaxError("expected a number");
  return std::stod(digits);
}

double parse_factor(Reader &in) {
  in.skip_blanks();
  if (in.peek() == '-') {
    in.get();
    return -parse_factor(in);
  }
  if (in.peek() == '(') {
    in.get();
    double v = parse_expr(in);
    in.skip_blanks();
    if (in.peek() != ')')
      throw SyntaxError("expected ')'");
    in.get();
    return v;
  }
  return parse_number(in);
}

double parse_term(Reader &in) {
  double v = parse_factor(in);
  for (;;) {
    in.skip_blanks();
    int op = in.peek();
    if (op != '*' && op != '/')
      return v;
    in.get();
    double rhs = parse_factor(in);
    v = op == '*' ? v * rhs : v / rhs;
  }
}

double parse_expr(Reader &in) {
  double v = parse_term(in);
  for (;;) {
    in.skip_blanks();
    int op = in.peek();
    if (op != '+' && op != '-')
      return v;
    in.get();
    double rhs = parse_term(in);
    v = op == '+' ? v + rhs : v - rhs;
  }
}

void skip_line(Reader &in) {
  for (int c = in.get(); c != -1 && c != '\n'; c = in.get()) {
  }
}

} // namespace

bool evaluate_line(Reader &in, Result &out) {
  out = Result{};
  if (in.peek() == -1)
    return false;
  try {
    out.value = parse_expr(in);
    in.skip_blanks();
    int end = in.get();
    if (end == '\n' || end == -1)
      return true;
    throw SyntaxError("unexpected character");
  } catch (const SyntaxError &e) {
    out.value.reset();
    out.error = e.what();
  }
  skip_line(in);
  return true;
}
