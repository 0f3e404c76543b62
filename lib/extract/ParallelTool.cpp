//===- ParallelTool.cpp - One frontend action per TU, in parallel ---------===//
#include "vinyl-asyncify/extract/ParallelTool.h"

#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
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

namespace {

/// A database of one command, whatever file is asked for.
class OneCommand : public tooling::CompilationDatabase {
public:
  explicit OneCommand(tooling::CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<tooling::CompileCommand>
  getCompileCommands(StringRef) const override {
    return {Command};
  }
  std::vector<std::string> getAllFiles() const override {
    return {Command.Filename};
  }

private:
  tooling::CompileCommand Command;
};

} // namespace

void runInParallel(const tooling::CompilationDatabase &DB,
                   const ParallelRun &Run) {
  std::mutex Lock;
  DefaultThreadPool Pool(Run.Jobs ? hardware_concurrency(Run.Jobs)
                                  : hardware_concurrency());
  for (size_t I = 0; I < Run.TUs.size(); ++I) {
    Pool.async([&, I] {
      std::unique_ptr<tooling::FrontendActionFactory> Action = Run.Action(I);
      std::string Diags;
      raw_string_ostream OS(Diags);
      DiagnosticOptions DiagOpts;
      TextDiagnosticPrinter Printer(OS, DiagOpts);
      // A tool per command of the unit (a file listed twice, with other
      // flags): a ClangTool given several announces each ("[1/2]
      // Processing file ...") on stderr, which is noise here.
      auto RunWith = [&](const tooling::CompilationDatabase &Commands) {
        tooling::ClangTool Tool(Commands, {Run.TUs[I]},
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
        Tool.setDiagnosticConsumer(&Printer);
        Tool.setPrintErrorMessage(false);
        return Tool.run(Action.get()) == 0;
      };
      std::vector<tooling::CompileCommand> Commands =
          DB.getCompileCommands(Run.TUs[I]);
      bool Compiled = true;
      if (Commands.size() < 2)
        Compiled = RunWith(DB);
      for (size_t C = 0; Commands.size() > 1 && C < Commands.size(); ++C)
        Compiled &= RunWith(OneCommand(Commands[C]));
      std::lock_guard<std::mutex> Guard(Lock);
      Run.Finished(I, Compiled, Diags);
    });
  }
  Pool.wait();
}

} // namespace vinyl
