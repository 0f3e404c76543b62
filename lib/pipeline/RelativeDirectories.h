//===- RelativeDirectories.h - Relative database folders -------*- C++ -*-===//
//
// Private to lib/pipeline/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_PIPELINE_RELATIVEDIRECTORIES_H
#define VINYL_ASYNCIFY_LIB_PIPELINE_RELATIVEDIRECTORIES_H

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>

namespace vinyl {

/// \p DB as it is if every entry names an absolute "directory"; otherwise
/// a database whose relative directories (".", "..", written by some
/// generators) are taken relative to \p DatabaseDir, the folder of
/// compile_commands.json, as the JSON Compilation Database format says,
/// whatever the tool's working directory.
std::unique_ptr<clang::tooling::CompilationDatabase>
resolveRelativeDirectories(
    std::unique_ptr<clang::tooling::CompilationDatabase> DB,
    llvm::StringRef DatabaseDir);

/// The folder whose compile_commands.json a search upward from \p Start
/// finds, as clang's autodetection searches; "" if none.
std::string findDatabaseDir(llvm::StringRef Start);

} // namespace vinyl

#endif
