//===- ParallelTool.cpp - One frontend action per TU, in parallel ---------===//
#include "vinyl-asyncify/extract/ParallelTool.h"

#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <mutex>

using namespace clang;
using namespace llvm;

namespace vinyl {

std::vector<std::string> extraCompilerArgs(StringRef RuntimeIncludeDir) {
  return {"-resource-dir=" VINYL_CLANG_RESOURCE_DIR,
          ("-idirafter" + RuntimeIncludeDir).str()};
}

void runInParallel(const tooling::CompilationDatabase &DB,
                   const ParallelRun &Run) {
  std::mutex Lock;
  DefaultThreadPool Pool(Run.Jobs ? hardware_concurrency(Run.Jobs)
                                  : hardware_concurrency());
  for (size_t I = 0; I < Run.TUs.size(); ++I) {
    Pool.async([&, I] {
      tooling::ClangTool Tool(DB, {Run.TUs[I]},
                              std::make_shared<PCHContainerOperations>(),
                              vfs::createPhysicalFileSystem());
      for (const auto &[Path, Text] : Run.Overrides)
        Tool.mapVirtualFile(Path, Text);
      Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
          extraCompilerArgs(Run.RuntimeIncludeDir),
          tooling::ArgumentInsertPosition::BEGIN));
      if (!Run.ExtraArgs.empty())
        Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
            Run.ExtraArgs, tooling::ArgumentInsertPosition::END));
      std::string Diags;
      raw_string_ostream OS(Diags);
      DiagnosticOptions DiagOpts;
      TextDiagnosticPrinter Printer(OS, DiagOpts);
      Tool.setDiagnosticConsumer(&Printer);
      Tool.setPrintErrorMessage(false);
      bool Compiled = Tool.run(Run.Action(I).get()) == 0;
      std::lock_guard<std::mutex> Guard(Lock);
      Run.Finished(I, Compiled, Diags);
    });
  }
  Pool.wait();
}

} // namespace vinyl
