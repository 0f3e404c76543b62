//===- Diagnostics.h - Compiler-style messages without an AST ---*- C++ -*-===//
//
// The solver works on facts, not on a SourceManager, so its messages are
// plain data printed in the compiler's format:
//   file:line:col: error: message [vinyl-id]
//   file:line:col: note: one step of the chain that explains it
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_FACTS_DIAGNOSTICS_H
#define VINYL_ASYNCIFY_FACTS_DIAGNOSTICS_H

#include "vinyl-asyncify/facts/Facts.h"

#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace llvm {
class SMDiagnostic;
}

namespace vinyl {

/// A yaml::Input diagnostic handler: keeps the first error, as
/// "file:line:col: error: message", in the std::string \p Message points to
/// (the traits-based readers report one error, at the offending node).
void keepFirstYamlError(const llvm::SMDiagnostic &D, void *Message);

/// \p Message, kept by keepFirstYamlError, located in \p Path: YAML's own
/// error for a node it has no place for (`rules: {` and a stray `%`) is
/// "<unknown>:0:0: ...".
std::string locatedYamlError(llvm::StringRef Message, llvm::StringRef Path);

struct Note {
  Location Loc;
  std::string Message;
};

struct Diagnostic {
  enum Level { Warning, Error } Severity = Error;
  Location Loc;
  std::string Message;
  std::string Check; ///< "vinyl-<id>", printed in brackets.
  std::vector<Note> Notes;
};

/// Prints in the compiler's format, in colour when \p OS has colours on.
void printDiagnostic(llvm::raw_ostream &OS, const Diagnostic &D);

/// Orders by file, line and column so output does not depend on the order
/// in which threads or the worklist produced it.
void sortDiagnostics(std::vector<Diagnostic> &Diags);

} // namespace vinyl

#endif
