//===- Layout.h - Where the tool finds its runtime and rules ----*- C++ -*-===//
//
// The build tree mirrors the install tree (bin/, include/vinyl/,
// share/vinyl-asyncify/rules/), so everything the tool ships is found relative
// to its own executable, wherever it was built or installed.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_CONFIG_LAYOUT_H
#define VINYL_ASYNCIFY_CONFIG_LAYOUT_H

#include "llvm/Support/Error.h"
#include <string>

namespace vinyl {

struct Layout {
  std::string Prefix;            ///< The directory holding bin/.
  std::string RuntimeIncludeDir; ///< Holds vinyl/vinyl.hpp.
  std::string RulesDir;          ///< Holds the bundled rules (posix.yaml).
};

/// Finds the layout from the tool's executable path; fails with a clear
/// message when the runtime headers are not where they should be.
llvm::Expected<Layout> findLayout(llvm::StringRef ExecutablePath);

/// The compile and link flags a converted program needs, one line.
std::string runtimeFlags(const Layout &L);

/// "vinyl-asyncify 0.1.0 (LLVM 22.1.8)".
std::string versionString();

} // namespace vinyl

#endif
