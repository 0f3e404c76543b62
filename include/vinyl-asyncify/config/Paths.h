//===- Paths.h - Which files the tool may rewrite ---------------*- C++ -*-===//
//
// A file is writable when its real path (symlinks resolved) lies under the
// real path of one of the paths the user named: a symlink that leads out of
// the paths never makes an outside file writable.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_CONFIG_PATHS_H
#define VINYL_ASYNCIFY_CONFIG_PATHS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace vinyl {

class PathSet {
public:
  /// Fails when a path does not exist.
  static llvm::Expected<PathSet> create(llvm::ArrayRef<std::string> Paths);

  /// The real path of \p File if it lies under the paths, else "".
  std::string writable(llvm::StringRef File) const;
  bool contains(llvm::StringRef File) const { return !writable(File).empty(); }

  llvm::ArrayRef<std::string> roots() const { return Roots; }

private:
  std::vector<std::string> Roots; ///< Real, absolute.
};

/// The real path of \p File, or "" if it does not exist.
std::string realPath(llvm::StringRef File);

} // namespace vinyl

#endif
