//===- Compiler.h - The compiler the converted code is built with -*- C++ -*-===//
//
// g++ (every version tested, see docs/conversion.md "Compiler notes")
// mishandles some full-expressions that suspend, where clang++ does not. The
// conversion writes workarounds for those only when the target compiler
// needs them: named in .vinyl.yaml (`compiler: gcc-12`), or else found in
// the compile database.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_CONFIG_COMPILER_H
#define VINYL_ASYNCIFY_CONFIG_COMPILER_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace vinyl {

struct TargetCompiler {
  enum FamilyKind { Unknown, Gcc, Clang };
  FamilyKind Family = Unknown;
  unsigned Major = 0; ///< 0: not known.
  /// Where it was found ("compile_commands.json: /usr/bin/g++ 12.2.0",
  /// ".vinyl.yaml"), for --verbose and messages.
  std::string Origin;

  /// Unknown compilers get the workarounds too: the code they give is
  /// valid C++ for every compiler, only longer.
  bool needsGccWorkarounds() const { return Family != Clang; }
  /// "g++ 12", "clang++ 22", "an unknown compiler".
  std::string describe() const;
};

/// Parses "gcc", "gcc-12", "g++-12", "clang", "clang-22", "clang++"
/// (as .vinyl.yaml's `compiler:` says it); std::nullopt if it is neither.
std::optional<TargetCompiler> parseCompilerName(llvm::StringRef Name);

} // namespace vinyl

#endif
