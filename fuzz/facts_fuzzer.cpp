//===- facts_fuzzer.cpp - Fuzz the facts-file reader -----------------------===//
//
// Entry point: vinyl::readFacts(Path), what `--facts FILE` calls for each
// file (it takes a path only, so each input is written to a scratch file),
// followed by the merge the run does of several files (Facts::merge), here
// of the file with itself and with an empty set.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "vinyl-asyncify/facts/FactsIO.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using vinyl::fuzz::ScratchDir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Path = ScratchDir::write("in.facts", Data, Size);
  llvm::Expected<vinyl::Facts> F = vinyl::readFacts(Path);
  if (!F) {
    std::string Message = llvm::toString(F.takeError());
    if (Message.empty())
      std::abort();
    return 0;
  }
  // `--facts a --facts b`: merge into an empty set, then the same facts
  // again (every function, call and finding already seen).
  vinyl::Facts Copy = *F;
  vinyl::Facts All;
  All.merge(std::move(*F));
  All.merge(std::move(Copy));
  // What was read can be written back (--extract-only's writer).
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  vinyl::writeFacts(OS, All);
  return 0;
}
