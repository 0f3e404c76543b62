//===- DetectCompiler.h - Which compiler the database builds with -*- C++ -*-===//
#ifndef VINYL_ASYNCIFY_PIPELINE_DETECTCOMPILER_H
#define VINYL_ASYNCIFY_PIPELINE_DETECTCOMPILER_H

#include "vinyl-asyncify/config/Compiler.h"

#include "clang/Tooling/CompilationDatabase.h"

namespace vinyl {

/// The compiler that builds \p Files according to \p DB: g++ if any unit
/// is built by g++ or by a compiler not recognised, clang++ if all are.
TargetCompiler detectCompiler(const clang::tooling::CompilationDatabase &DB,
                              llvm::ArrayRef<std::string> Files);

} // namespace vinyl

#endif
