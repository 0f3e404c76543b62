//===- CallbackTasks.cpp - Copies of text that writes a callback type -----===//
#include "CallbackTasks.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace vinyl {

CallbackTasks::CallbackTasks(const Facts &F, const Solution &S,
                             const Config &C, SourceFiles &Sources)
    : Sources(Sources) {
  for (const auto &[Id, Fn] : F.Functions)
    if (Fn.IsCallbackType && S.isAsync(Id) && !Fn.IsCoroutine)
      for (const DeclFact &D : Fn.Decls)
        if (!D.ReturnType.File.empty())
          Places[D.ReturnType.File].push_back(
              {D.ReturnType.Offset, D.ReturnType.Length,
               fmt::format("{}<{}>", C.TaskType, D.Result)});
}

Expected<std::string> CallbackTasks::apply(std::string Copy, StringRef File,
                                           unsigned Begin) const {
  auto InFile = Places.find(File.str());
  if (InFile == Places.end())
    return Copy;
  Expected<StringRef> Text = Sources.get(File);
  if (!Text)
    return Text.takeError();
  // Last first, so that each replacement leaves the earlier offsets be.
  std::vector<Place> Inside;
  for (const Place &P : InFile->second)
    if (P.Offset >= Begin && P.Offset + P.Length <= Begin + Copy.size())
      Inside.push_back(P);
  llvm::sort(Inside,
             [](const Place &A, const Place &B) { return A.Offset > B.Offset; });
  for (const Place &P : Inside) {
    // Where the text before it ends in the copy: inserted names only add
    // characters, so the original is a subsequence of the copy.
    StringRef Before = Text->slice(Begin, P.Offset);
    size_t At = 0;
    for (char Ch : Before) {
      while (At < Copy.size() && Copy[At] != Ch)
        ++At;
      if (At == Copy.size())
        break;
      ++At;
    }
    StringRef Old = Text->substr(P.Offset, P.Length);
    if (At + P.Length <= Copy.size() &&
        StringRef(Copy).substr(At, P.Length) == Old)
      Copy.replace(At, P.Length, P.Task);
  }
  return Copy;
}

} // namespace vinyl
