//===- rules_fuzzer.cpp - Fuzz the rules-file parser -----------------------===//
//
// Entry point: vinyl::parseConfigFile(Path, Text), which parses one rules
// file (rules/*.yaml, --rules) from a buffer and validates it. The tool
// reads the file with MemoryBuffer::getFile, whose buffer ends in a NUL;
// the input is copied into a std::string so the buffer does too.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "vinyl-asyncify/config/Config.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Text(reinterpret_cast<const char *>(Data), Size);
  if (vinyl::fuzz::skipKnownCrashes() && !llvm::StringRef(Text).trim().empty() &&
      vinyl::fuzz::configRootUnparsable(Text))
    return -1; // not added to the corpus
  auto File = vinyl::parseConfigFile("rules/fuzz.yaml", Text);
  if (!File) {
    std::string Message = llvm::toString(File.takeError());
    // Every error is located in the file it came from.
    if (Message.rfind("rules/fuzz.yaml", 0) != 0)
      std::abort();
    return 0;
  }
  // What a merge reads of a parsed file: the rules it found must be usable.
  vinyl::Config C;
  C.Leaves = File->Leaves;
  C.Spawns = File->Spawns;
  if (File->NameScheme)
    C.NameScheme = *File->NameScheme;
  for (const vinyl::LeafRule &R : C.Leaves) {
    // validate() trimmed the name and dropped a leading "::".
    if (R.Name.empty() || R.Origin != "rules/fuzz.yaml")
      std::abort();
    if (!C.findLeaf(R.Name))
      std::abort();
    (void)C.findReplacement(llvm::StringRef(R.Replacement).ltrim(':'));
  }
  for (const vinyl::SpawnRule &S : C.Spawns)
    if (!C.findSpawn(S.Type))
      std::abort();
  // A scheme that passed validation names every function differently.
  if (File->NameScheme && C.asyncName("f") == "f")
    std::abort();
  return 0;
}
