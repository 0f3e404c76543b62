//===- FactsFile.cpp - The whole-program verdict for one-TU tools --------===//
//
// YAMLTraits both ways, like the rules files, so that a hand-edited facts
// file that is wrong is reported at the offending node.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/report/FactsFile.h"

#include "vinyl-asyncify/facts/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

using namespace llvm;

namespace {
struct RawFile {
  std::vector<vinyl::AsyncVerdict> Functions;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::Note)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::AsyncVerdict)

namespace llvm::yaml {
template <> struct MappingTraits<vinyl::Note> {
  static void mapping(IO &Io, vinyl::Note &N) {
    Io.mapOptional("file", N.Loc.File);
    Io.mapOptional("line", N.Loc.Line);
    Io.mapOptional("column", N.Loc.Column);
    Io.mapRequired("note", N.Message);
  }
};
template <> struct MappingTraits<vinyl::AsyncVerdict> {
  static void mapping(IO &Io, vinyl::AsyncVerdict &V) {
    Io.mapOptional("id", V.Id, std::string());
    Io.mapRequired("name", V.Name);
    Io.mapOptional("async", V.Async, true);
    Io.mapOptional("facade", V.Facade, false);
    Io.mapOptional("why", V.Why);
  }
  static std::string validate(IO &, vinyl::AsyncVerdict &V) {
    if (V.Id.empty() && StringRef(V.Name).trim().empty())
      return "a function needs an 'id' or a 'name'";
    return "";
  }
};
template <> struct MappingTraits<RawFile> {
  static void mapping(IO &Io, RawFile &F) {
    Io.mapOptional("functions", F.Functions);
  }
};
} // namespace llvm::yaml

namespace vinyl {

const AsyncVerdict *FactsFile::findAsync(StringRef Id, StringRef Name) const {
  for (const AsyncVerdict &V : Functions) {
    if (!V.Async)
      continue;
    // USRs tell overloads apart; a name is the fallback of hand-written files.
    if (V.Id.empty() ? StringRef(V.Name).ltrim(':') == Name : V.Id == Id)
      return &V;
  }
  return nullptr;
}

FactsFile makeFactsFile(const Facts &F, const Solution &S) {
  FactsFile Out;
  for (const auto &[Id, State] : S.States) {
    if (!State.Async)
      continue;
    AsyncVerdict V;
    V.Id = Id;
    auto Fn = F.Functions.find(Id);
    V.Name = Fn == F.Functions.end() ? Id : Fn->second.Name;
    V.Facade = State.Facade;
    V.Why = explainChain(F, S, Id);
    Out.Functions.push_back(std::move(V));
  }
  llvm::sort(Out.Functions, [](const AsyncVerdict &A, const AsyncVerdict &B) {
    return std::tie(A.Name, A.Id) < std::tie(B.Name, B.Id);
  });
  return Out;
}

void writeFactsFile(raw_ostream &OS, const FactsFile &File) {
  OS << "# vinyl-asyncify facts: functions the whole-program solve made "
        "async.\n";
  RawFile Raw{File.Functions};
  yaml::Output Out(OS);
  Out << Raw;
}

Expected<FactsFile> parseFactsFile(StringRef Path, StringRef Text) {
  std::string Message;
  RawFile Raw;
  if (!Text.trim().empty()) {
    yaml::Input In(MemoryBufferRef(Text, Path), nullptr, keepFirstYamlError,
                   &Message);
    In >> Raw;
    if (In.error())
      return createStringError(inconvertibleErrorCode(),
                               locatedYamlError(Message, Path));
  }
  return FactsFile{std::move(Raw.Functions)};
}

Expected<FactsFile> loadFactsFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: error: cannot read: %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  return parseFactsFile(Path, (*Buffer)->getBuffer());
}

} // namespace vinyl
