//===- Config.cpp - Rules files and project configuration -----------------===//
//
// Parsing goes through YAMLTraits so that every error, syntactic or from
// validation, is reported at the offending node as "file:line:col".
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/config/Config.h"

#include "vinyl-asyncify/facts/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {
/// The file's mapping as YAMLTraits sees it; scalars stay optional so that a
/// file mentions only what it changes.
struct RawTask {
  std::optional<std::string> Type, Header, BlockOn;
};
struct RawFacades {
  std::optional<vinyl::FacadePolicy> Policy;
  std::optional<bool> AllowBlockingConstructors;
  std::optional<vinyl::BlockingFallback> Fallback;
  std::optional<bool> Twins;
  std::optional<bool> SyncMain;
};
struct RawFile {
  std::vector<std::string> Rules;
  std::vector<vinyl::LeafRule> Leaves;
  std::vector<std::string> RemoveLeaves;
  std::vector<std::string> DisablePacks;
  std::vector<vinyl::SpawnRule> Spawns;
  std::vector<std::string> CallbackTypes;
  std::optional<RawFacades> Facades;
  std::optional<std::string> NameScheme;
  std::optional<RawTask> Task;
  std::optional<bool> FastPaths;
  std::optional<bool> AutomaticCallbackTypes;
  std::optional<vinyl::TargetCompiler> Compiler;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::LeafRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::SpawnRule)

namespace llvm::yaml {
template <> struct MappingTraits<vinyl::LeafRule> {
  static void mapping(IO &Io, vinyl::LeafRule &R) {
    Io.mapRequired("name", R.Name);
    Io.mapOptional("replacement", R.Replacement);
    Io.mapOptional("header", R.Header);
    Io.mapOptional("offload", R.Offload);
  }
  static std::string validate(IO &Io, vinyl::LeafRule &R) {
    // A document that did not parse has no node to report at.
    if (Io.error())
      return "";
    StringRef Name = StringRef(R.Name).trim();
    if (Name.consume_front("::"); Name.empty())
      return "a leaf needs a non-empty 'name'";
    if (R.Offload) {
      if (!StringRef(R.Replacement).trim().empty() || !R.Header.empty())
        return "leaf '" + R.Name +
               "' is offloaded: it takes no "
               "'replacement' or 'header'";
      R.Name = Name.str();
      R.Header = "<vinyl/offload.hpp>";
      return "";
    }
    if (StringRef(R.Replacement).trim().empty())
      return "leaf '" + R.Name +
             "' needs a non-empty 'replacement' (or 'offload: true')";
    StringRef Header = StringRef(R.Header).trim();
    if (!Header.empty() && !(Header.size() > 2 &&
                             ((Header.front() == '<' && Header.back() == '>') ||
                              (Header.front() == '"' && Header.back() == '"'))))
      return "leaf '" + R.Name +
             "': 'header' is spelt as in an #include, "
             "<name> or \"name\"";
    R.Header = Header.str();
    R.Name = Name.str();
    return "";
  }
};
template <> struct MappingTraits<vinyl::SpawnRule> {
  static void mapping(IO &Io, vinyl::SpawnRule &R) {
    Io.mapRequired("type", R.Type);
    Io.mapRequired("detach", R.Detach);
    Io.mapRequired("replacement", R.Replacement);
    Io.mapOptional("join", R.Join);
    Io.mapOptional("handle_members", R.HandleMembers);
    Io.mapOptional("handle_type", R.HandleType);
  }
  static std::string validate(IO &Io, vinyl::SpawnRule &R) {
    // A document that did not parse has no node to report at.
    if (Io.error())
      return "";
    StringRef Type = StringRef(R.Type).trim();
    if (Type.consume_front("::"); Type.empty())
      return "a spawn site needs a non-empty 'type'";
    if (StringRef(R.Detach).trim().empty() ||
        StringRef(R.Replacement).trim().empty())
      return "spawn site '" + R.Type +
             "' needs a non-empty 'detach' and 'replacement'";
    if (!R.HandleType.empty() && R.Join.empty())
      return "spawn site '" + R.Type + "' has a 'handle_type' but no 'join'";
    R.Type = Type.str();
    return "";
  }
};
template <> struct ScalarEnumerationTraits<vinyl::FacadePolicy> {
  static void enumeration(IO &Io, vinyl::FacadePolicy &P) {
    Io.enumCase(P, "public-api", vinyl::FacadePolicy::PublicApi);
    Io.enumCase(P, "callers", vinyl::FacadePolicy::Callers);
  }
};
template <> struct ScalarEnumerationTraits<vinyl::BlockingFallback> {
  static void enumeration(IO &Io, vinyl::BlockingFallback &F) {
    Io.enumCase(F, "warn", vinyl::BlockingFallback::Warn);
    Io.enumCase(F, "error", vinyl::BlockingFallback::Error);
  }
};
template <> struct MappingTraits<RawTask> {
  static void mapping(IO &Io, RawTask &T) {
    Io.mapOptional("type", T.Type);
    Io.mapOptional("header", T.Header);
    Io.mapOptional("block_on", T.BlockOn);
  }
};
template <> struct MappingTraits<RawFacades> {
  static void mapping(IO &Io, RawFacades &F) {
    Io.mapOptional("policy", F.Policy);
    Io.mapOptional("allow_blocking_constructors", F.AllowBlockingConstructors);
    Io.mapOptional("blocking_fallback", F.Fallback);
    Io.mapOptional("twins", F.Twins);
    Io.mapOptional("sync_main", F.SyncMain);
  }
};
/// `compiler: gcc-12`, checked where it is written.
template <> struct ScalarTraits<vinyl::TargetCompiler> {
  static void output(const vinyl::TargetCompiler &C, void *, raw_ostream &OS) {
    OS << C.describe();
  }
  static StringRef input(StringRef Scalar, void *, vinyl::TargetCompiler &C) {
    std::optional<vinyl::TargetCompiler> Parsed =
        vinyl::parseCompilerName(Scalar);
    if (!Parsed)
      return "'compiler' must name g++ or clang++, with an optional major "
             "version ('gcc', 'gcc-12', 'clang-22')";
    C = *Parsed;
    return "";
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
};
template <> struct MappingTraits<RawFile> {
  static void mapping(IO &Io, RawFile &F) {
    Io.mapOptional("rules", F.Rules);
    Io.mapOptional("leaves", F.Leaves);
    Io.mapOptional("remove_leaves", F.RemoveLeaves);
    Io.mapOptional("disable_packs", F.DisablePacks);
    Io.mapOptional("spawns", F.Spawns);
    Io.mapOptional("callback_types", F.CallbackTypes);
    Io.mapOptional("facades", F.Facades);
    Io.mapOptional("name_scheme", F.NameScheme);
    Io.mapOptional("task", F.Task);
    Io.mapOptional("fast_paths", F.FastPaths);
    Io.mapOptional("automatic_callback_types", F.AutomaticCallbackTypes);
    Io.mapOptional("compiler", F.Compiler);
  }
  static std::string validate(IO &Io, RawFile &F) {
    // A document that did not parse has no node to report at.
    if (Io.error())
      return "";
    if (F.NameScheme && !StringRef(*F.NameScheme).contains("{}"))
      return "'name_scheme' must contain '{}' (the original name)";
    if (F.NameScheme && *F.NameScheme == "{}")
      return "'name_scheme' must change the name";
    return "";
  }
};
} // namespace llvm::yaml

namespace vinyl {

const LeafRule *Config::findLeaf(StringRef QualifiedName) const {
  // Later rules win, so a project can re-map a bundled leaf.
  for (const LeafRule &R : llvm::reverse(Leaves))
    if (R.Name == QualifiedName)
      return &R;
  return nullptr;
}

const LeafRule *Config::findReplacement(StringRef QualifiedName) const {
  for (const LeafRule &R : llvm::reverse(Leaves))
    if (StringRef(R.Replacement).ltrim(':') == QualifiedName &&
        findLeaf(R.Name) == &R) // not a rule a later one re-mapped
      return &R;
  return nullptr;
}

const SpawnRule *Config::findSpawn(StringRef Type) const {
  for (const SpawnRule &R : Spawns)
    if (R.Type == Type)
      return &R;
  return nullptr;
}

std::string Config::asyncName(StringRef Name) const {
  StringRef Scheme = NameScheme;
  auto [Before, After] = Scheme.split("{}");
  return (Before + Name + After).str();
}

Expected<ConfigFile> parseConfigFile(StringRef Path, StringRef Text) {
  std::string Message;
  RawFile Raw;
  // An empty file is a valid, empty configuration.
  if (!Text.trim().empty()) {
    SourceMgr SM;
    yaml::Input In(MemoryBufferRef(Text, Path), nullptr, keepFirstYamlError,
                   &Message);
    In >> Raw;
    if (In.error())
      return createStringError(inconvertibleErrorCode(),
                               locatedYamlError(Message, Path));
  }
  ConfigFile File;
  File.Path = Path.str();
  File.Leaves = std::move(Raw.Leaves);
  for (LeafRule &R : File.Leaves)
    R.Origin = File.Path;
  File.Spawns = std::move(Raw.Spawns);
  for (std::string &Name : Raw.CallbackTypes)
    File.CallbackTypes.push_back(StringRef(Name).trim().ltrim(':').str());
  for (std::string &Name : Raw.RemoveLeaves)
    File.RemoveLeaves.push_back(StringRef(Name).trim().ltrim(':').str());
  for (std::string &Name : Raw.DisablePacks)
    File.DisablePacks.push_back(StringRef(Name).trim().str());
  SmallString<256> Dir(Path);
  sys::path::remove_filename(Dir);
  for (const std::string &Rel : Raw.Rules) {
    SmallString<256> Abs(Rel);
    if (sys::path::is_relative(Abs)) {
      Abs = Dir;
      sys::path::append(Abs, Rel);
    }
    File.Includes.push_back(std::string(Abs));
  }
  if (Raw.Facades) {
    File.Facades = Raw.Facades->Policy;
    File.AllowBlockingConstructors = Raw.Facades->AllowBlockingConstructors;
    File.Fallback = Raw.Facades->Fallback;
    File.Twins = Raw.Facades->Twins;
    File.SyncMain = Raw.Facades->SyncMain;
  }
  File.NameScheme = Raw.NameScheme;
  File.FastPaths = Raw.FastPaths;
  File.AutomaticCallbackTypes = Raw.AutomaticCallbackTypes;
  if (Raw.Compiler) {
    File.Compiler = *Raw.Compiler;
    File.Compiler->Origin = Path.str();
  }
  if (Raw.Task) {
    File.TaskType = Raw.Task->Type;
    File.TaskHeader = Raw.Task->Header;
    File.BlockOn = Raw.Task->BlockOn;
  }
  return File;
}

static Error mergeFile(StringRef Path, Config &C,
                       std::vector<std::string> &Stack) {
  // Compare canonical paths, so "sub/../a.yaml" is "a.yaml".
  SmallString<256> Canonical;
  if (sys::fs::real_path(Path, Canonical))
    Canonical = Path;
  if (llvm::is_contained(Stack, Canonical))
    return createStringError(inconvertibleErrorCode(),
                             Path + ": error: rules files include each other");
  // A device or a pipe (`/dev/zero`) would be read until memory ran out.
  if (sys::fs::file_status St;
      !sys::fs::status(Path, St) && !sys::fs::is_regular_file(St))
    return createStringError(inconvertibleErrorCode(),
                             "%s: error: cannot read: not a regular file",
                             Path.str().c_str());
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: error: cannot read: %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  auto File = parseConfigFile(Path, (*Buffer)->getBuffer());
  if (!File)
    return File.takeError();
  Stack.push_back(std::string(Canonical));
  for (const std::string &Inc : File->Includes)
    if (Error E = mergeFile(Inc, C, Stack))
      return E;
  Stack.pop_back();
  llvm::erase_if(C.Leaves, [&](const LeafRule &R) {
    return llvm::is_contained(File->RemoveLeaves, R.Name);
  });
  llvm::append_range(C.Leaves, File->Leaves);
  for (std::string &Pack : File->DisablePacks)
    C.DisabledPacks.push_back({std::move(Pack), Path.str()});
  for (const SpawnRule &R : File->Spawns) {
    // A later rule for the same type replaces an earlier one.
    llvm::erase_if(C.Spawns,
                   [&](const SpawnRule &Old) { return Old.Type == R.Type; });
    C.Spawns.push_back(R);
  }
  for (std::string &Name : File->CallbackTypes)
    if (!llvm::is_contained(C.CallbackTypes, Name))
      C.CallbackTypes.push_back(std::move(Name));
  if (File->Facades)
    C.Facades = *File->Facades;
  if (File->AllowBlockingConstructors)
    C.AllowBlockingConstructors = *File->AllowBlockingConstructors;
  if (File->Fallback)
    C.Fallback = *File->Fallback;
  if (File->Twins)
    C.Twins = *File->Twins;
  if (File->SyncMain)
    C.SyncMain = *File->SyncMain;
  if (File->FastPaths)
    C.FastPaths = *File->FastPaths;
  if (File->AutomaticCallbackTypes)
    C.AutomaticCallbackTypes = *File->AutomaticCallbackTypes;
  if (File->NameScheme)
    C.NameScheme = *File->NameScheme;
  if (File->Compiler) {
    C.Compiler = *File->Compiler;
    C.CompilerFromFile = true;
  }
  if (File->TaskType)
    C.TaskType = *File->TaskType;
  if (File->TaskHeader)
    C.TaskHeader = *File->TaskHeader;
  if (File->BlockOn)
    C.BlockOn = *File->BlockOn;
  return Error::success();
}

Expected<Config> loadConfig(ArrayRef<std::string> Paths) {
  Config C;
  std::vector<std::string> Stack;
  for (const std::string &P : Paths)
    if (Error E = mergeFile(P, C, Stack))
      return std::move(E);
  return C;
}

std::string findProjectConfig(StringRef Dir) {
  SmallString<256> Current(Dir);
  sys::fs::make_absolute(Current);
  for (StringRef D = Current; !D.empty(); D = sys::path::parent_path(D)) {
    SmallString<256> Candidate(D);
    sys::path::append(Candidate, ".vinyl.yaml");
    if (sys::fs::exists(Candidate))
      return std::string(Candidate);
  }
  return "";
}

} // namespace vinyl
