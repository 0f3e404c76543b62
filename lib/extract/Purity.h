//===- Purity.h - Expressions that may be evaluated again -------*- C++ -*-===//
//
// A split function (fast_paths) evaluates some of its text twice: the plain
// half's guard, or the statement a caller resumes at, runs again in the
// coroutine half. That is only the same program when the text changes
// nothing: no assignment, increment or volatile read, and calls only to
// what is known to read (a const member of the standard library, a
// function marked pure or const, an accessor whose body is one such
// `return`).
//
// Private to lib/extract/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_EXTRACT_PURITY_H
#define VINYL_ASYNCIFY_LIB_EXTRACT_PURITY_H

namespace clang {
class Decl;
class Expr;
} // namespace clang

namespace vinyl::extract {

/// Whether evaluating \p E twice in a row gives the same values and
/// changes nothing. A null \p E is pure.
bool isPure(const clang::Expr *E);

/// `int n = s.size();`, `const char *p = buf + pos;`: a declaration with
/// nothing to undo.
bool isPureDeclaration(const clang::Decl *D);

} // namespace vinyl::extract

#endif
