//===- Report.cpp - What the reports share, and the fixes as YAML ---------===//
//
// --export-fixes writes the edits as clang-apply-replacements YAML; the
// helpers here serve every report (ReportInternal.h).
//
//===----------------------------------------------------------------------===//
#include "ReportInternal.h"

#include "vinyl-asyncify/facts/Format.h"

#include "clang/Tooling/ReplacementsYaml.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/YAMLTraits.h"

using namespace llvm;

namespace vinyl {
namespace report {

std::string where(const Location &L) {
  if (!L.valid())
    return "";
  return fmt::format("{}:{}:{}", L.File, L.Line, L.Column);
}

std::map<std::string, std::vector<size_t>> ioCallsByCaller(const Facts &F,
                                                            const Solution &S) {
  std::map<std::string, std::vector<size_t>> Out;
  for (size_t I = 0; I < F.Calls.size(); ++I) {
    const CallFact &C = F.Calls[I];
    if (C.BlockedOn || C.Kind == CallKind::AddressTaken ||
        C.Kind == CallKind::BlockingWait || C.Kind == CallKind::Spawn)
      continue;
    if (isLeafId(C.Callee) || S.isAsync(C.Callee))
      Out[C.Caller].push_back(I);
  }
  return Out;
}

Error writeFile(StringRef Path, function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "%s: error: cannot write: %s",
                             Path.str().c_str(), EC.message().c_str());
  Write(OS);
  OS.close();
  if (OS.has_error()) {
    EC = OS.error();
    OS.clear_error();
    return createStringError(EC, "%s: error: cannot write: %s",
                             Path.str().c_str(), EC.message().c_str());
  }
  return Error::success();
}

} // namespace report

Error exportFixes(StringRef Path, ArrayRef<ChangedFile> Files) {
  clang::tooling::TranslationUnitReplacements TU;
  for (const ChangedFile &C : Files)
    append_range(TU.Replacements, replacementsOf(C));
  return report::writeFile(Path, [&](raw_ostream &OS) {
    yaml::Output YAML(OS);
    YAML << TU;
  });
}

} // namespace vinyl
