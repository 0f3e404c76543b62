//===- Fingerprint.h - What a synchronous twin was written against -*- C++
//-*-===//
//
// A synchronous twin is a copy: the comment above it carries a fingerprint
// of its body and its coroutine's body as the conversion wrote them, so
// `--check` can tell when one of the two changed without the other. White
// space is left out, so reformatting changes nothing.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_FACTS_FINGERPRINT_H
#define VINYL_ASYNCIFY_FACTS_FINGERPRINT_H

#include "llvm/ADT/StringRef.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>

namespace vinyl {

/// What precedes the fingerprint in the twin's comment.
inline constexpr llvm::StringLiteral TwinFingerprintKey =
    "vinyl-twin-fingerprint: ";

/// 16 hex digits: FNV-1a over both bodies' text, white space left out.
inline std::string twinFingerprint(llvm::StringRef CoroutineBody,
                                   llvm::StringRef TwinBody) {
  uint64_t H = 14695981039346656037ull;
  auto Add = [&](llvm::StringRef Text) {
    for (char C : Text)
      if (!std::isspace(static_cast<unsigned char>(C)))
        H = (H ^ static_cast<unsigned char>(C)) * 1099511628211ull;
    H = (H ^ 0xff) * 1099511628211ull;
  };
  Add(CoroutineBody);
  Add(TwinBody);
  char Out[17];
  std::snprintf(Out, sizeof Out, "%016llx", static_cast<unsigned long long>(H));
  return Out;
}

} // namespace vinyl

#endif
