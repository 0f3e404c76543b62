//===- Compiler.cpp - Naming the target compiler --------------------------===//
//
// The spelling .vinyl.yaml uses for the target compiler, which is also how
// compilers are named on disk (g++-12, clang++-22), so detection from a
// compile database reuses it for the driver's file name.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/config/Compiler.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace vinyl {

std::string TargetCompiler::describe() const {
  if (Family == Unknown)
    return "an unknown compiler";
  std::string Name = Family == Gcc ? "g++" : "clang++";
  if (Major)
    Name += " " + std::to_string(Major);
  return Name;
}

std::optional<TargetCompiler> parseCompilerName(StringRef Name) {
  Name = Name.trim();
  TargetCompiler C;
  // A cross compiler's prefix: x86_64-linux-gnu-g++-12. ("clang++" holds
  // "g++" too.)
  size_t At = StringRef::npos;
  if (!Name.contains("clang")) {
    for (StringRef Gcc : {"g++", "gcc"})
      if ((At = Name.rfind(Gcc)) != StringRef::npos) {
        C.Family = TargetCompiler::Gcc;
        Name = Name.drop_front(At + Gcc.size());
        break;
      }
  } else if ((At = Name.rfind("clang")) != StringRef::npos) {
    C.Family = TargetCompiler::Clang;
    Name = Name.drop_front(At + 5);
    Name.consume_front("++");
  }
  if (C.Family == TargetCompiler::Unknown)
    return std::nullopt;
  if (Name.empty())
    return C;
  if (!Name.consume_front("-") || Name.getAsInteger(10, C.Major) || !C.Major)
    return std::nullopt;
  return C;
}

} // namespace vinyl
