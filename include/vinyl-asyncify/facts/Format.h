//===- Format.h - fmt for the text the tool writes --------------*- C++ -*-===//
//
// Messages, generated code and reports are built with fmt::format: a
// message reads as one sentence with its holes, not as a chain of `+`.
// This header lets LLVM's StringRef and Twine-free strings be formatted
// like std::string.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_FACTS_FORMAT_H
#define VINYL_ASYNCIFY_FACTS_FORMAT_H

#include "llvm/ADT/StringRef.h"

#include <fmt/format.h>

template <>
struct fmt::formatter<llvm::StringRef> : fmt::formatter<fmt::string_view> {
  template <typename FormatContext>
  auto format(llvm::StringRef S, FormatContext &Ctx) const {
    return fmt::formatter<fmt::string_view>::format(
        fmt::string_view(S.data(), S.size()), Ctx);
  }
};

#endif
