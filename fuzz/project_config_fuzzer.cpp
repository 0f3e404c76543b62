//===- project_config_fuzzer.cpp - Fuzz the .vinyl.yaml loader -------------===//
//
// The path a project's .vinyl.yaml takes in a run (loadRunConfig): found by
// vinyl::findProjectConfig(Dir) above the first path, then read, parsed,
// its `rules:` includes followed and merged after the bundled rules by
// vinyl::loadConfig(Paths). Each input is written as PROJECT/.vinyl.yaml
// beside a fixed rules file it may include (rules/extra.yaml, and itself:
// an include cycle) and after a fixed "bundled" file its remove_leaves and
// callback types can refer to.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "vinyl-asyncify/config/Config.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Path.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using vinyl::fuzz::ScratchDir;

namespace {
struct Layout {
  std::string Bundled, ProjectDir, SourceDir;
  Layout() {
    Bundled = ScratchDir::write("share/rules/posix.yaml",
                                "leaves:\n"
                                "  - { name: read, replacement: "
                                "\"vinyl::io::read\" }\n"
                                "  - { name: sleep, replacement: "
                                "\"vinyl::io::sleep\" }\n"
                                "spawns:\n"
                                "  - { type: std::thread, detach: detach, "
                                "replacement: vinyl::spawn, join: join, "
                                "handle_type: vinyl::join_handle }\n");
    ScratchDir::write("project/rules/extra.yaml",
                      "leaves:\n"
                      "  - { name: fetch, replacement: \"net::fetch\", "
                      "header: \"<net/fetch.hpp>\" }\n"
                      "name_scheme: \"co_{}\"\n");
    SourceDir = ScratchDir::write("project/src/a.cpp", "int main() {}\n");
    llvm::SmallString<256> Dir(SourceDir);
    llvm::sys::path::remove_filename(Dir);
    SourceDir = std::string(Dir);
    llvm::sys::path::remove_filename(Dir);
    ProjectDir = std::string(Dir);
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static Layout L;
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  if (vinyl::fuzz::skipKnownCrashes() && !Text.trim().empty() &&
      vinyl::fuzz::configRootUnparsable(Text))
    return -1; // not added to the corpus
  std::string Written = ScratchDir::write("project/.vinyl.yaml", Data, Size);
  std::string Found = vinyl::findProjectConfig(L.SourceDir);
  if (Found != Written) // the harness's own layout is wrong
    std::abort();
  llvm::Expected<vinyl::Config> C = vinyl::loadConfig({L.Bundled, Found});
  if (!C) {
    std::string Message = llvm::toString(C.takeError());
    if (Message.empty())
      std::abort();
    return 0;
  }
  // What the solver and the rewrite ask of the merged configuration.
  for (const vinyl::LeafRule &R : C->Leaves)
    if (!C->findLeaf(R.Name))
      std::abort();
  for (const vinyl::SpawnRule &S : C->Spawns)
    if (!C->findSpawn(S.Type))
      std::abort();
  if (C->NameScheme.find("{}") == std::string::npos ||
      C->asyncName("f") == "f")
    std::abort();
  (void)C->Compiler.describe();
  return 0;
}
