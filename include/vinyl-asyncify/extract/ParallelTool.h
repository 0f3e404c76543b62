//===- ParallelTool.h - One frontend action per TU, in parallel -*- C++ -*-===//
//
// Extraction and verification both parse a set of TUs from the compile
// database, a few at a time, with the tool's extra arguments, and report each
// TU's diagnostics as one block; this is that loop, written once.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_EXTRACT_PARALLELTOOL_H
#define VINYL_ASYNCIFY_EXTRACT_PARALLELTOOL_H

#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vinyl {

/// The arguments the tool adds to every compile command: the resource
/// directory of the Clang it was built against, and the runtime headers,
/// searched last so a project's own copy wins.
std::vector<std::string> extraCompilerArgs(llvm::StringRef RuntimeIncludeDir);

struct ParallelRun {
  llvm::ArrayRef<std::string> TUs;
  std::string RuntimeIncludeDir;
  unsigned Jobs = 0; ///< 0: one per core.
  /// Arguments added at the end of every command.
  std::vector<std::string> ExtraArgs;
  /// Files whose contents the TUs see instead of the disk's (path, text).
  std::vector<std::pair<std::string, std::string>> Overrides;
  /// The action for TU number I; called on a worker thread.
  std::function<std::unique_ptr<clang::tooling::FrontendActionFactory>(size_t)>
      Action;
  /// Called after TU number I, one call at a time, with whether it compiled
  /// and its diagnostics, already formatted.
  std::function<void(size_t, bool, llvm::StringRef)> Finished;
};

/// Runs \p Run.Action over every TU; each worker thread gets a file system of
/// its own, because the shared real one changes the process's working
/// directory for each command.
void runInParallel(const clang::tooling::CompilationDatabase &DB,
                   const ParallelRun &Run);

} // namespace vinyl

#endif
