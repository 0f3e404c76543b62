//===- ExtractInternal.h - Helpers the extraction passes share --*- C++ -*-===//
//
// Private to lib/: what Extract.cpp (the pass over the paths' code) and
// OutsideCallers.cpp (the pass over a unit outside the paths) both need to
// name files and places the same way.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_EXTRACTINTERNAL_H
#define VINYL_ASYNCIFY_LIB_EXTRACTINTERNAL_H

#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/config/Paths.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace clang {
class ASTContext;
class FileManager;
class SourceManager;
} // namespace clang

namespace vinyl {

/// The real path of the file named \p Name in the AST if it is under the
/// paths, else "". Names in the AST are relative to the compile command's
/// directory, not to the tool's working directory.
std::string writablePath(clang::FileManager &FM, const PathSet &Writable,
                         llvm::StringRef Name);

/// Where \p Loc is (its expansion, for a macro), as the TU spells the file.
Location locationOf(const clang::SourceManager &SM, clang::SourceLocation Loc);

/// For a TU whose main file is outside the paths: records every use (call
/// or address) its main file makes of a function declared under the paths,
/// as a call from a synchronous caller, so that function keeps a facade.
void recordOutsideCalls(clang::ASTContext &Ctx, const PathSet &Writable,
                        Facts &Out);

} // namespace vinyl

#endif
