//===- Diagnostics.cpp - Compiler-style messages without an AST -----------===//
#include "vinyl-asyncify/facts/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include <tuple>

using namespace llvm;

namespace vinyl {

static void printLocation(raw_ostream &OS, const Location &L) {
  if (!L.valid())
    return;
  WithColor(OS, raw_ostream::SAVEDCOLOR, /*Bold=*/true)
      << L.File << ":" << L.Line << ":" << L.Column << ": ";
}

void keepFirstYamlError(const SMDiagnostic &D, void *Message) {
  auto &Out = *static_cast<std::string *>(Message);
  if (!Out.empty())
    return;
  raw_string_ostream OS(Out);
  OS << D.getFilename() << ":" << D.getLineNo() << ":" << (D.getColumnNo() + 1)
     << ": error: " << D.getMessage();
}

std::string locatedYamlError(StringRef Message, StringRef Path) {
  if (Message.empty())
    return (Path + ": error: invalid YAML").str();
  if (Message.consume_front("<unknown>:0:0: "))
    return (Path + ": " + Message).str();
  return Message.str();
}

void printDiagnostic(raw_ostream &OS, const Diagnostic &D) {
  printLocation(OS, D.Loc);
  if (D.Severity == Diagnostic::Error)
    WithColor(OS, raw_ostream::RED, true) << "error: ";
  else
    WithColor(OS, raw_ostream::MAGENTA, true) << "warning: ";
  WithColor(OS, raw_ostream::SAVEDCOLOR, true) << D.Message;
  if (!D.Check.empty())
    OS << " [" << D.Check << "]";
  OS << "\n";
  for (const Note &N : D.Notes) {
    printLocation(OS, N.Loc);
    WithColor(OS, raw_ostream::BLACK, true) << "note: ";
    OS << N.Message << "\n";
  }
}

void sortDiagnostics(std::vector<Diagnostic> &Diags) {
  llvm::stable_sort(Diags, [](const Diagnostic &A, const Diagnostic &B) {
    return std::tie(A.Loc.File, A.Loc.Line, A.Loc.Column, A.Message) <
           std::tie(B.Loc.File, B.Loc.Line, B.Loc.Column, B.Message);
  });
}

} // namespace vinyl
