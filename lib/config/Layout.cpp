//===- Layout.cpp - Where the tool finds its runtime and rules ------------===//
#include "vinyl-asyncify/config/Layout.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace vinyl {

Expected<Layout> findLayout(StringRef ExecutablePath) {
  SmallString<256> Prefix(ExecutablePath);
  sys::path::remove_filename(Prefix); // bin/
  sys::path::remove_filename(Prefix); // prefix
  Layout L;
  L.Prefix = std::string(Prefix);
  SmallString<256> Include(Prefix);
  sys::path::append(Include, VINYL_RUNTIME_INCLUDE_SUBDIR);
  L.RuntimeIncludeDir = std::string(Include);
  SmallString<256> Rules(Prefix);
  sys::path::append(Rules, VINYL_RULES_SUBDIR);
  L.RulesDir = std::string(Rules);
  SmallString<256> Umbrella(Include);
  sys::path::append(Umbrella, "vinyl", "vinyl.hpp");
  if (!sys::fs::exists(Umbrella))
    return createStringError(inconvertibleErrorCode(),
                             "error: the vinyl runtime is missing: expected " +
                                 Umbrella + " next to the tool");
  return L;
}

std::string runtimeFlags(const Layout &L) {
  // -isystem: the runtime's headers are a library's, whose warnings are
  // not the project's to see. spawn starts threads (pthread_create).
  // -foptimize-sibling-calls: g++ makes symmetric transfer a tail call only
  // with it (-O2 implies it; task.hpp covers builds without -O), or a loop
  // of awaits that finish at once grows the stack; clang++ accepts it.
  return "-isystem " + L.RuntimeIncludeDir +
         " -pthread -foptimize-sibling-calls";
}

std::string versionString() {
  return std::string("vinyl-asyncify ") + VINYL_VERSION + " (LLVM " +
         LLVM_VERSION_STRING + ")";
}

} // namespace vinyl
