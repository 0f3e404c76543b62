//===- Paths.cpp - Which files the tool may rewrite -----------------------===//
#include "vinyl-asyncify/config/Paths.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace vinyl {

std::string realPath(StringRef File) {
  SmallString<256> Real;
  if (sys::fs::real_path(File, Real, /*expand_tilde=*/false))
    return "";
  return std::string(Real);
}

Expected<PathSet> PathSet::create(ArrayRef<std::string> Paths) {
  PathSet S;
  for (const std::string &P : Paths) {
    std::string Real = realPath(P);
    if (Real.empty())
      return createStringError(inconvertibleErrorCode(),
                               "error: no such file or directory: '" + P + "'");
    S.Roots.push_back(std::move(Real));
  }
  return S;
}

std::string PathSet::writable(StringRef File) const {
  std::string Real = realPath(File);
  if (Real.empty())
    return "";
  for (const std::string &Root : Roots) {
    StringRef Rest = Real;
    if (!Rest.consume_front(Root))
      continue;
    if (Rest.empty() || sys::path::is_separator(Rest.front()))
      return Real;
  }
  return "";
}

} // namespace vinyl
