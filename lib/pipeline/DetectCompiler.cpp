//===- DetectCompiler.cpp - Which compiler the database builds with -------===//
//
// The compile database names each unit's driver. Its file name usually
// says enough (g++-12, clang++-22, a symlink to one); a generic `c++` or
// `cc` is asked for its version, as CMake does. Units built by different
// compilers take g++'s workarounds if any of them is g++ or unknown: the
// lowered code is valid for every compiler.
//
//===----------------------------------------------------------------------===//
#include "DetectCompiler.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

using namespace llvm;

namespace vinyl {
namespace {

/// The first line of `Driver --version`, or "" if it cannot be run.
std::string versionLine(StringRef Driver) {
  SmallString<128> Out;
  if (sys::fs::createTemporaryFile("vinyl-cc", "txt", Out))
    return "";
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Out),
                                          StringRef("")};
  StringRef Args[] = {Driver, "--version"};
  int Status = sys::ExecuteAndWait(Driver, Args, std::nullopt, Redirects,
                                   /*SecondsToWait=*/10);
  std::string Line;
  if (auto Text = MemoryBuffer::getFile(Out); Text && Status == 0)
    Line = (*Text)->getBuffer().split('\n').first.str();
  sys::fs::remove(Out);
  return Line;
}

/// Drivers of one name need asking once.
TargetCompiler identify(StringRef Driver, StringMap<TargetCompiler> &Seen) {
  auto It = Seen.find(Driver);
  if (It != Seen.end())
    return It->second;
  TargetCompiler C;
  std::string Path = Driver.str();
  if (sys::path::filename(Driver) == Driver)
    if (ErrorOr<std::string> Found = sys::findProgramByName(Driver))
      Path = *Found;
  // /usr/bin/c++ -> /etc/alternatives/c++ -> /usr/bin/g++ -> g++-12.
  SmallString<256> Real;
  if (!sys::fs::real_path(Path, Real))
    Path = std::string(Real);
  if (auto Named = parseCompilerName(sys::path::filename(Path));
      Named && Named->Major) {
    C = *Named;
  } else if (sys::fs::can_execute(Path)) {
    std::string Line = versionLine(Path);
    StringRef L = Line;
    if (L.contains("clang"))
      C.Family = TargetCompiler::Clang;
    else if (L.contains("g++") || L.contains("gcc") || L.contains("GCC"))
      C.Family = TargetCompiler::Gcc;
    SmallVector<StringRef, 2> Match;
    if (C.Family != TargetCompiler::Unknown &&
        Regex("([0-9]+)\\.[0-9]+").match(L.substr(L.find(')') + 1), &Match))
      Match[1].getAsInteger(10, C.Major);
  }
  if (C.Family == TargetCompiler::Unknown)
    if (auto Named = parseCompilerName(sys::path::filename(Path)))
      C = *Named;
  C.Origin = "the compile database: " + Path;
  return Seen[Driver] = C;
}

} // namespace

TargetCompiler
detectCompiler(const clang::tooling::CompilationDatabase &DB,
               ArrayRef<std::string> Files) {
  StringMap<TargetCompiler> Seen;
  std::optional<TargetCompiler> Chosen;
  for (const std::string &File : Files)
    for (const clang::tooling::CompileCommand &Cmd :
         DB.getCompileCommands(File)) {
      if (Cmd.CommandLine.empty())
        continue;
      TargetCompiler C = identify(Cmd.CommandLine.front(), Seen);
      if (!Chosen || (Chosen->Family == TargetCompiler::Clang &&
                      C.Family != TargetCompiler::Clang))
        Chosen = C;
    }
  return Chosen.value_or(TargetCompiler());
}

} // namespace vinyl
