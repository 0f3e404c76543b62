//===- FactsIO.h - Extraction facts as files, for split pipelines -*- C++ -*-===//
//
// The phases are separate commands too (DESIGN): `--extract-only` writes the
// facts of some translation units to a file, so extraction can run on any
// job engine, one TU per job; `--facts` reads such files back and runs
// solve, rewrite, verification and the write on their merge. The format is
// YAML (every field of Facts.h), written and read by the same traits.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_FACTS_FACTSIO_H
#define VINYL_ASYNCIFY_FACTS_FACTSIO_H

#include "vinyl-asyncify/facts/Facts.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace vinyl {

void writeFacts(llvm::raw_ostream &OS, const Facts &F);

/// Reads a file writeFacts wrote; errors carry "file:line:col: ...".
llvm::Expected<Facts> readFacts(llvm::StringRef Path);

} // namespace vinyl

#endif
