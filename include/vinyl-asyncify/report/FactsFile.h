//===- FactsFile.h - The whole-program verdict for one-TU tools -*- C++ -*-===//
//
// The solver knows which functions must become coroutines because of calls
// in other translation units; an editor running clang-tidy sees one TU. The
// CLI writes the verdict as a small YAML file and the vinyl-needs-async check
// reads it, so the IDE can say "this function must become async" with the
// chain that explains it. The format, by example:
//
//   # vinyl-asyncify facts: functions the whole-program solve made async.
//   functions:
//     - id: 'c:@F@load#I#'          # USR, as the library's functionId()
//       name: load                  # qualified name, for messages
//       async: true
//       facade: true                # keeps its name as a blocking facade
//       why:                        # the chain down to a blocking leaf
//         - { file: a.cpp, line: 7, column: 10,
//             note: "'load' calls 'get' here" }
//         - { file: a.cpp, line: 3, column: 3,
//             note: "'get' calls 'read' here" }
//
// An entry without an id matches by qualified name; "async: false" entries
// may be written but are ignored by readers.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_REPORT_FACTSFILE_H
#define VINYL_ASYNCIFY_REPORT_FACTSFILE_H

#include "vinyl-asyncify/facts/Diagnostics.h"
#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/solve/Solve.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace vinyl {

struct AsyncVerdict {
  std::string Id;   ///< USR; empty to match by Name.
  std::string Name; ///< Qualified name.
  bool Async = true;
  bool Facade = false;
  std::vector<Note> Why;
};

struct FactsFile {
  std::vector<AsyncVerdict> Functions;

  /// The async verdict for a function with USR \p Id and qualified name
  /// \p Name, or null.
  const AsyncVerdict *findAsync(llvm::StringRef Id, llvm::StringRef Name) const;
};

/// The verdict of a solve: every async function with the chain that made it
/// async, sorted by name so the file does not depend on worklist order.
FactsFile makeFactsFile(const Facts &F, const Solution &S);

void writeFactsFile(llvm::raw_ostream &OS, const FactsFile &File);

/// Parses a facts file; errors carry "file:line:col: ...".
llvm::Expected<FactsFile> parseFactsFile(llvm::StringRef Path,
                                         llvm::StringRef Text);

/// Reads and parses \p Path.
llvm::Expected<FactsFile> loadFactsFile(llvm::StringRef Path);

} // namespace vinyl

#endif
