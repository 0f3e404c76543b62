//===- FuzzSupport.h - Temporary files for the parser fuzz targets -*- C++ -*-===//
//
// Two of the four parsers read a path, not a buffer (the project config is
// found on disk, facts files and compile databases are read by name), so
// the targets write each input to a file in a private directory made once
// per process, under /dev/shm when it exists (no disk I/O per execution).
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_FUZZ_FUZZSUPPORT_H
#define VINYL_ASYNCIFY_FUZZ_FUZZSUPPORT_H

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace vinyl::fuzz {

/// A directory that lives as long as the process and is removed at exit.
class ScratchDir {
public:
  static const std::string &path() {
    static ScratchDir Dir;
    return Dir.Path;
  }

  /// DIR/Rel (made if needed) holding exactly \p Data.
  static std::string write(llvm::StringRef Rel, const uint8_t *Data,
                           size_t Size) {
    llvm::SmallString<256> File(path());
    llvm::sys::path::append(File, Rel);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(File));
    // Plain stdio: this is the harness, not code under test.
    FILE *F = std::fopen(File.c_str(), "wb");
    if (!F) {
      std::perror(File.c_str());
      std::abort();
    }
    if (Size && std::fwrite(Data, 1, Size, F) != Size) {
      std::perror(File.c_str());
      std::abort();
    }
    std::fclose(F);
    return std::string(File);
  }

  static std::string write(llvm::StringRef Rel, llvm::StringRef Text) {
    return write(Rel, reinterpret_cast<const uint8_t *>(Text.data()),
                 Text.size());
  }

private:
  ScratchDir() {
    const char *Base = std::getenv("VINYL_FUZZ_TMPDIR");
    llvm::SmallString<256> Model;
    if (Base && *Base)
      Model = Base;
    else if (llvm::sys::fs::is_directory("/dev/shm"))
      Model = "/dev/shm";
    else
      llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Model);
    llvm::sys::path::append(Model, "vinyl-fuzz-XXXXXX");
    char *Template = const_cast<char *>(Model.c_str()); // NUL-terminated
    if (!::mkdtemp(Template)) {
      std::perror(Template);
      std::abort();
    }
    Path = std::string(Model);
  }
  ~ScratchDir() { llvm::sys::fs::remove_directories(Path); }

  std::string Path;
};

/// Known crash, reported in docs/reliability.md ("Parsers under a
/// fuzzer"): a rules file or .vinyl.yaml whose YAML root does not parse
/// (`]`, `"`, a NUL byte, a root alias `*a`) makes yaml::Input leave its
/// current node null with the error set; the optional `name_scheme` then
/// reads as "", RawFile::validate rejects it, and yaml::Input::setError
/// dereferences the null node (SEGV in parseConfigFile). True for such a
/// text: the first document that is not empty has no root, or one
/// yaml::Input cannot represent.
inline bool configRootUnparsable(llvm::StringRef Text) {
  llvm::SourceMgr SM;
  SM.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  llvm::yaml::Stream S(Text, SM);
  for (llvm::yaml::document_iterator It = S.begin(); It != S.end(); ++It) {
    llvm::yaml::Node *N = It->getRoot();
    if (!N)
      return true;
    if (llvm::isa<llvm::yaml::NullNode>(N))
      continue;
    return !llvm::isa<llvm::yaml::ScalarNode, llvm::yaml::BlockScalarNode,
                      llvm::yaml::SequenceNode, llvm::yaml::MappingNode>(N);
  }
  return false;
}

/// VINYL_FUZZ_SKIP_KNOWN=1: inputs that only reach a crash already
/// reported are skipped, so a campaign goes on looking for others.
inline bool skipKnownCrashes() {
  static const bool Skip = [] {
    const char *V = std::getenv("VINYL_FUZZ_SKIP_KNOWN");
    return V && *V && std::string(V) != "0";
  }();
  return Skip;
}

} // namespace vinyl::fuzz

#endif
