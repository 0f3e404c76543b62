//===- compile_db_fuzzer.cpp - Fuzz compile-database loading ---------------===//
//
// How the tool loads compile_commands.json (loadDatabase in
// lib/pipeline/Pipeline.cpp, with -p): clang::tooling::CompilationDatabase::
// autoDetectFromDirectory(BuildDir, Message), Clang's JSON database with
// response-file expansion, interpolation and driver-mode inference. Then
// what the run asks of it: every file (Pipeline::units, which also checks
// each against the writable paths with vinyl::PathSet), the commands of
// each, and the driver's name (detectCompiler; the harness only parses the
// name with vinyl::parseCompilerName and never runs `DRIVER --version`).
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "vinyl-asyncify/config/Compiler.h"
#include "vinyl-asyncify/config/Paths.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using vinyl::fuzz::ScratchDir;

namespace {
struct Layout {
  std::string BuildDir;
  std::unique_ptr<vinyl::PathSet> Writable;
  Layout() {
    std::string Source =
        ScratchDir::write("src/a.cpp", "#include <unistd.h>\nint main() {}\n");
    llvm::SmallString<256> Dir(Source);
    llvm::sys::path::remove_filename(Dir);
    auto Set = vinyl::PathSet::create({std::string(Dir)});
    if (!Set) {
      llvm::consumeError(Set.takeError());
      std::abort();
    }
    Writable = std::make_unique<vinyl::PathSet>(std::move(*Set));
    BuildDir = ScratchDir::path() + "/build";
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static Layout L;
  ScratchDir::write("build/compile_commands.json", Data, Size);
  std::string Message;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB =
      clang::tooling::CompilationDatabase::autoDetectFromDirectory(L.BuildDir,
                                                                   Message);
  if (!DB)
    return 0;
  std::vector<std::string> Files = DB->getAllFiles();
  for (const std::string &File : Files) {
    (void)L.Writable->contains(File);
    for (const clang::tooling::CompileCommand &Cmd :
         DB->getCompileCommands(File)) {
      if (Cmd.CommandLine.empty())
        continue;
      (void)vinyl::parseCompilerName(
          llvm::sys::path::filename(Cmd.CommandLine.front()));
    }
  }
  // A file the database does not list: the interpolating database guesses
  // its command from its neighbours.
  (void)DB->getCompileCommands(ScratchDir::path() + "/src/a.cpp");
  (void)DB->getAllCompileCommands();
  return 0;
}
