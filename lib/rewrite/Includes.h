//===- Includes.h - Where the runtime's #include goes -----------*- C++ -*-===//
//
// A file that gains coroutines gets the task header's #include after its
// own includes, never above the configuration macros a file defines first
// (`#define _GNU_SOURCE`), and never inside a conditional block, which a
// compiler may skip. A header guard's #ifndef is not such a block.
//
// Private to lib/rewrite/; the unit tests include it.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_INCLUDES_H
#define VINYL_ASYNCIFY_LIB_REWRITE_INCLUDES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace vinyl {

struct IncludeEdit {
  unsigned Offset = 0;
  std::string Text;
};

/// The edit that includes \p Header (spelt with its delimiters,
/// "<vinyl/vinyl.hpp>") in \p Code, or nothing if \p Code includes it
/// already. Lines end as the file's first line does.
std::optional<IncludeEdit> includeEdit(llvm::StringRef Code,
                                       llvm::StringRef Header);

/// One edit that includes each of \p Headers \p Code does not include yet,
/// in the order given, at the place includeEdit chooses.
std::optional<IncludeEdit> includeEdits(llvm::StringRef Code,
                                        llvm::ArrayRef<std::string> Headers);

} // namespace vinyl

#endif
