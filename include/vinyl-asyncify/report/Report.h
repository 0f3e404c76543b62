//===- Report.h - Explanations and files for people and dashboards -*- C++ -*-===//
//
// Everything here reads the facts and the solution, never an AST:
// --explain (why a function is async, as a tree of every path down to the
// leaves), --graph (the coloured call graph in DOT or SVG), --sarif (the
// diagnostics for code-scanning dashboards) and --export-fixes (the edits
// as clang-apply-replacements YAML).
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_REPORT_REPORT_H
#define VINYL_ASYNCIFY_REPORT_REPORT_H

#include "vinyl-asyncify/apply/Apply.h"
#include "vinyl-asyncify/facts/Diagnostics.h"
#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/solve/Solve.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace vinyl {

/// Prints why each function named \p Name (qualified, or unqualified to
/// match every function of that name) is async: every path of calls down
/// to the I/O leaves, as a tree with locations. Fails if no function has
/// that name.
llvm::Error explain(llvm::raw_ostream &OS, const Facts &F, const Solution &S,
                    llvm::StringRef Name);

/// The call graph of everything that reaches I/O, in Graphviz DOT: leaves,
/// async functions, facades, synchronous callers and refusals drawn apart.
void printGraph(llvm::raw_ostream &OS, const Facts &F, const Solution &S);

/// Writes the graph to \p Path: DOT, or SVG rendered by Graphviz's `dot`
/// when the name ends in ".svg".
llvm::Error writeGraph(llvm::StringRef Path, const Facts &F,
                       const Solution &S);

/// Writes \p Diags as a SARIF 2.1.0 log; each note of an explaining chain
/// becomes a step of the result's code flow.
llvm::Error writeSarif(llvm::StringRef Path,
                       llvm::ArrayRef<Diagnostic> Diags);

/// The edits that turn each file's old text into its new one, as a
/// clang-apply-replacements YAML file.
llvm::Error exportFixes(llvm::StringRef Path,
                        llvm::ArrayRef<ChangedFile> Files);

} // namespace vinyl

#endif
