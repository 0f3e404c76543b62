//===- RelativeDirectories.cpp - Database entries with a relative folder --===//
//
// Clang's JSONCompilationDatabase keys an entry by its directory joined
// with its file, as written: with "directory": ".." the key stays
// "../src/a.cpp", so no lookup by absolute path finds it, and the command
// would run in the tool's working directory. The format defines the
// directory as the command's working directory; a relative one can only
// mean relative to the database, so that is what this reads it as.
//
//===----------------------------------------------------------------------===//
#include "RelativeDirectories.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using clang::tooling::CompilationDatabase;
using clang::tooling::CompileCommand;

namespace vinyl {

namespace {

std::string absoluteClean(StringRef Base, StringRef Path) {
  SmallString<256> Out(Path);
  if (sys::path::is_relative(Out)) {
    Out = Base;
    sys::path::append(Out, Path);
  }
  sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

class ResolvedDatabase : public CompilationDatabase {
public:
  explicit ResolvedDatabase(std::vector<CompileCommand> All)
      : Commands(std::move(All)) {
    for (size_t I = 0; I < Commands.size(); ++I)
      ByFile[Commands[I].Filename].push_back(I);
  }

  std::vector<CompileCommand>
  getCompileCommands(StringRef FilePath) const override {
    SmallString<256> Key(FilePath);
    sys::fs::make_absolute(Key);
    sys::path::remove_dots(Key, /*remove_dot_dot=*/true);
    std::vector<CompileCommand> Out;
    auto It = ByFile.find(Key);
    if (It != ByFile.end())
      for (size_t I : It->second)
        Out.push_back(Commands[I]);
    return Out;
  }

  std::vector<std::string> getAllFiles() const override {
    std::vector<std::string> Out;
    for (const CompileCommand &C : Commands)
      if (!llvm::is_contained(Out, C.Filename))
        Out.push_back(C.Filename);
    return Out;
  }

  std::vector<CompileCommand> getAllCompileCommands() const override {
    return Commands;
  }

private:
  std::vector<CompileCommand> Commands;
  StringMap<std::vector<size_t>> ByFile;
};

} // namespace

std::unique_ptr<CompilationDatabase>
resolveRelativeDirectories(std::unique_ptr<CompilationDatabase> DB,
                           StringRef DatabaseDir) {
  std::vector<CompileCommand> All = DB->getAllCompileCommands();
  if (DatabaseDir.empty() ||
      llvm::none_of(All, [](const CompileCommand &C) {
        return sys::path::is_relative(C.Directory);
      }))
    return DB;
  SmallString<256> Base(DatabaseDir);
  sys::fs::make_absolute(Base);
  for (CompileCommand &C : All) {
    C.Directory = absoluteClean(Base, C.Directory);
    C.Filename = absoluteClean(C.Directory, C.Filename);
  }
  // Files the database does not list (headers) get a neighbour's command,
  // as from the database clang loads.
  return clang::tooling::inferMissingCompileCommands(
      std::make_unique<ResolvedDatabase>(std::move(All)));
}

std::string findDatabaseDir(StringRef Start) {
  SmallString<256> Dir(Start);
  sys::fs::make_absolute(Dir);
  if (!sys::fs::is_directory(Dir))
    sys::path::remove_filename(Dir);
  for (StringRef D = Dir; !D.empty(); D = sys::path::parent_path(D)) {
    SmallString<256> Candidate(D);
    sys::path::append(Candidate, "compile_commands.json");
    if (sys::fs::exists(Candidate))
      return D.str();
  }
  return "";
}

} // namespace vinyl
