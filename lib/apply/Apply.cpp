//===- Apply.cpp - Edits to new file contents, verified, written whole ----===//
#include "vinyl-asyncify/apply/Apply.h"

#include "vinyl-asyncify/extract/ParallelTool.h"

#include "clang/Format/Format.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace llvm;
using namespace clang;

namespace vinyl {

Expected<std::vector<ChangedFile>>
applyChanges(ArrayRef<tooling::AtomicChange> Changes, SourceFiles &Sources) {
  std::vector<ChangedFile> Out;
  for (const tooling::AtomicChange &Change : Changes) {
    const std::string &Path = Change.getFilePath();
    Expected<StringRef> Code = Sources.get(Path);
    if (!Code)
      return Code.takeError();
    tooling::ApplyChangesSpec Spec;
    Spec.Cleanup = false;
    // Only a project that asks for a style gets its edited lines formatted.
    Expected<format::FormatStyle> Style =
        format::getStyle("file", Path, "none", *Code);
    if (!Style)
      return createStringError(inconvertibleErrorCode(),
                               "%s: error: bad .clang-format: %s", Path.c_str(),
                               toString(Style.takeError()).c_str());
    Spec.Style = *Style;
    // Sorting would move include lines the conversion did not touch.
    Spec.Style.SortIncludes.Enabled = false;
    Spec.Format = Style->DisableFormat ? tooling::ApplyChangesSpec::kNone
                                       : tooling::ApplyChangesSpec::kAll;
    Expected<std::string> After =
        tooling::applyAtomicChanges(Path, *Code, {Change}, Spec);
    if (!After)
      return createStringError(
          inconvertibleErrorCode(), "%s: error: cannot apply the edits: %s",
          Path.c_str(), toString(After.takeError()).c_str());
    if (*After != *Code)
      Out.push_back({Path, Code->str(), std::move(*After)});
  }
  return Out;
}

Error verify(const tooling::CompilationDatabase &DB, const Facts &F,
             ArrayRef<ChangedFile> Files, StringRef RuntimeIncludeDir,
             unsigned Jobs, raw_ostream &Diagnostics) {
  StringSet<> Changed;
  for (const ChangedFile &C : Files)
    Changed.insert(C.Path);
  std::vector<std::string> TUs;
  for (const auto &[TU, Included] : F.FilesOfTU)
    if (llvm::any_of(Included,
                     [&](const std::string &P) { return Changed.contains(P); }))
      TUs.push_back(TU);

  unsigned Failed = 0;
  ParallelRun Run;
  Run.TUs = TUs;
  Run.RuntimeIncludeDir = RuntimeIncludeDir.str();
  Run.Jobs = Jobs;
  // Warnings still count (under -Werror they fail the TU), but clang's
  // "N warnings generated." goes straight to stderr unless carets are off.
  Run.ExtraArgs = {"-fno-caret-diagnostics"};
  for (const ChangedFile &C : Files)
    Run.Overrides.emplace_back(C.Path, C.After);
  Run.Action = [](size_t) {
    return tooling::newFrontendActionFactory<SyntaxOnlyAction>();
  };
  Run.Finished = [&](size_t I, bool Compiled, StringRef Diags) {
    if (Compiled)
      return;
    ++Failed;
    Diagnostics << Diags << TUs[I]
                << ": error: the converted translation unit does not compile\n"
                << TUs[I] << ": note: the locations above are in the converted "
                << "text, which --diff shows\n";
  };
  runInParallel(DB, Run);
  if (Failed)
    return createStringError(
        inconvertibleErrorCode(),
        "error: %u converted translation unit(s) would not compile; nothing "
        "was written",
        Failed);
  return Error::success();
}

namespace {
/// One file being replaced: the new text in Temp, the old one kept in
/// Backup until every file is in place.
struct PendingFile {
  std::string Final, Temp, Backup;
  bool Renamed = false;
};

std::error_code defaultRename(const Twine &From, const Twine &To) {
  return sys::fs::rename(From, To);
}

Error cannotWrite(StringRef Path, std::error_code EC, StringRef What) {
  return createStringError(EC, "%s: error: cannot %s: %s; nothing was written",
                           Path.str().c_str(), What.str().c_str(),
                           EC.message().c_str());
}

/// Writes \p Text to a new unique file next to \p Final, with its
/// permissions.
Expected<std::string> writeTemp(StringRef Final, StringRef Text) {
  SmallString<256> Model(Final);
  Model += ".vinyl-" + writeTag(Text) + "-%%%%%%";
  int FD;
  SmallString<256> Temp;
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, Temp))
    return cannotWrite(Final, EC, "write");
  raw_fd_ostream OS(FD, /*shouldClose=*/true);
  OS << Text;
  OS.close();
  if (ErrorOr<sys::fs::perms> Perms = sys::fs::getPermissions(Final))
    sys::fs::setPermissions(Temp, *Perms);
  if (OS.has_error()) {
    std::error_code EC = OS.error();
    OS.clear_error();
    sys::fs::remove(Temp);
    return cannotWrite(Final, EC, "write");
  }
  return std::string(Temp);
}

/// Keeps the old contents of \p Final under a new name, which names its
/// new text \p NewText: a hard link where the file system has them, else a
/// copy.
Expected<std::string> keepOld(StringRef Final, StringRef NewText) {
  SmallString<256> Model(Final);
  Model += ".vinyl-old-" + writeTag(NewText) + "-%%%%%%";
  // A name, not a file: an empty file made first and removed would be
  // one more thing a kill could leave.
  std::error_code EC;
  for (int Try = 0; Try < 16; ++Try) {
    SmallString<256> Backup;
    sys::fs::createUniquePath(Model, Backup, /*MakeAbsolute=*/false);
    EC = sys::fs::create_hard_link(Final, Backup);
    if (!EC)
      return std::string(Backup);
    if (EC == std::errc::file_exists)
      continue;
    // No hard links here: a copy, which a kill may cut short, but only
    // before any file is replaced, when no backup is needed.
    if (sys::fs::exists(Backup))
      continue;
    if ((EC = sys::fs::copy_file(Final, Backup))) {
      sys::fs::remove(Backup);
      break;
    }
    return std::string(Backup);
  }
  return cannotWrite(Final, EC, "back up");
}
} // namespace

/// A file with no write permission is the user's way of saying "not this
/// one", even where the directory would let it be replaced (by its owner,
/// or by root, for whom access(W_OK) always succeeds).
static Error refuseReadOnly(const ChangedFile &C) {
  ErrorOr<sys::fs::perms> Perms = sys::fs::getPermissions(C.Path);
  if (!Perms || (*Perms & sys::fs::all_write))
    return Error::success();
  return createStringError(
      std::make_error_code(std::errc::permission_denied),
      "%s: error: the file is read-only (no write permission); nothing was "
      "written",
      C.Path.c_str());
}

/// The file still holds the text the conversion was computed from: an
/// editor or another program may have saved it since it was read.
static Error refuseChanged(const ChangedFile &C) {
  auto Now = MemoryBuffer::getFile(C.Path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!Now)
    return cannotWrite(C.Path, Now.getError(), "read back");
  if ((*Now)->getBuffer() == C.Before)
    return Error::success();
  return createStringError(inconvertibleErrorCode(),
                           "%s: error: the file changed while it was being "
                           "converted; nothing was written (run again)",
                           C.Path.c_str());
}

Error writeAtomically(ArrayRef<ChangedFile> Files, RenameFunction Rename) {
  if (!Rename)
    Rename = defaultRename;
  for (const ChangedFile &C : Files)
    if (Error E = refuseReadOnly(C))
      return E;
  std::vector<PendingFile> Reps;
  auto Discard = [&] {
    for (const PendingFile &R : Reps) {
      if (R.Renamed)
        Rename(R.Backup, R.Final);
      else if (!R.Backup.empty())
        sys::fs::remove(R.Backup);
      sys::fs::remove(R.Temp);
    }
  };
  for (const ChangedFile &C : Files) {
    PendingFile R;
    // Replace a link's target, not the link.
    SmallString<256> Real;
    R.Final = sys::fs::real_path(C.Path, Real) ? C.Path : std::string(Real);
    Expected<std::string> Temp = writeTemp(R.Final, C.After);
    if (!Temp) {
      Discard();
      return Temp.takeError();
    }
    R.Temp = std::move(*Temp);
    Reps.push_back(R);
    Expected<std::string> Backup = keepOld(R.Final, C.After);
    if (!Backup) {
      Discard();
      return Backup.takeError();
    }
    Reps.back().Backup = std::move(*Backup);
  }
  // Last, right before the first rename, so that the window in which a
  // change by someone else would be lost is as short as can be.
  for (const ChangedFile &C : Files)
    if (Error E = refuseChanged(C)) {
      Discard();
      return E;
    }
  for (PendingFile &R : Reps) {
    if (std::error_code EC = Rename(R.Temp, R.Final)) {
      Discard();
      return cannotWrite(R.Final, EC, "replace");
    }
    R.Renamed = true;
  }
  for (const PendingFile &R : Reps)
    sys::fs::remove(R.Backup);
  return Error::success();
}

namespace {
/// A line-based diff: common prefix and suffix are cut first, then Myers'
/// algorithm finds the shortest edit script of the region between.
struct DiffLine {
  char Tag; // ' ', '-', '+'
  StringRef Text;
  unsigned OldLine, NewLine;
};

/// Myers' greedy diff: a shortest edit script from \p A to \p B (' '
/// keep, '-' delete, '+' insert), in O((N + M) D) time for D differences,
/// so a large file with a few edits costs little. Past MaxD differences
/// the region is replaced as a whole: still a correct diff, only longer.
std::string editScript(ArrayRef<StringRef> A, ArrayRef<StringRef> B) {
  constexpr int MaxD = 1000;
  const int N = A.size(), M = B.size(), Off = MaxD + 1;
  std::vector<int> V(2 * MaxD + 3, 0);
  std::vector<std::vector<int>> Trace;
  int Found = -1;
  for (int D = 0; D <= MaxD && Found < 0; ++D) {
    Trace.push_back(V);
    for (int K = -D; K <= D; K += 2) {
      int X = (K == -D || (K != D && V[Off + K - 1] < V[Off + K + 1]))
                  ? V[Off + K + 1]
                  : V[Off + K - 1] + 1;
      int Y = X - K;
      while (X < N && Y < M && A[X] == B[Y])
        ++X, ++Y;
      V[Off + K] = X;
      if (X >= N && Y >= M) {
        Found = D;
        break;
      }
    }
  }
  std::string Ops;
  if (Found < 0)
    return std::string(N, '-') + std::string(M, '+');
  int X = N, Y = M;
  for (int D = Found; D > 0; --D) {
    const std::vector<int> &P = Trace[D];
    int K = X - Y;
    int PrevK = (K == -D || (K != D && P[Off + K - 1] < P[Off + K + 1]))
                    ? K + 1
                    : K - 1;
    int PrevX = P[Off + PrevK], PrevY = PrevX - PrevK;
    for (; X > PrevX && Y > PrevY; --X, --Y)
      Ops += ' ';
    Ops += PrevK == K + 1 ? '+' : '-';
    X = PrevX, Y = PrevY;
  }
  Ops.append(X, ' ');
  std::reverse(Ops.begin(), Ops.end());
  // Deletions before insertions in each change, as diff -u prints them.
  for (size_t I = 0; I < Ops.size();) {
    size_t E = I;
    while (E < Ops.size() && Ops[E] != ' ')
      ++E;
    std::stable_partition(Ops.begin() + I, Ops.begin() + E,
                          [](char C) { return C == '-'; });
    I = E == I ? I + 1 : E;
  }
  return Ops;
}

std::vector<DiffLine> diffLines(StringRef Before, StringRef After) {
  // A final newline ends the last line; it does not start another.
  SmallVector<StringRef, 0> A, B;
  if (!Before.empty())
    Before.drop_back(Before.ends_with("\n")).split(A, '\n');
  if (!After.empty())
    After.drop_back(After.ends_with("\n")).split(B, '\n');
  size_t Pre = 0;
  while (Pre < A.size() && Pre < B.size() && A[Pre] == B[Pre])
    ++Pre;
  size_t Suf = 0;
  while (Suf < A.size() - Pre && Suf < B.size() - Pre &&
         A[A.size() - 1 - Suf] == B[B.size() - 1 - Suf])
    ++Suf;
  size_t N = A.size() - Pre - Suf, M = B.size() - Pre - Suf;
  std::vector<DiffLine> Out;
  for (size_t I = 0; I < Pre; ++I)
    Out.push_back({' ', A[I], unsigned(I), unsigned(I)});
  size_t I = 0, J = 0;
  for (char Op :
       editScript(ArrayRef(A).slice(Pre, N), ArrayRef(B).slice(Pre, M))) {
    if (Op == ' ')
      Out.push_back({' ', A[Pre + I], unsigned(Pre + I), unsigned(Pre + J)}),
          ++I, ++J;
    else if (Op == '-')
      Out.push_back({'-', A[Pre + I], unsigned(Pre + I), unsigned(Pre + J)}),
          ++I;
    else
      Out.push_back({'+', B[Pre + J], unsigned(Pre + I), unsigned(Pre + J)}),
          ++J;
  }
  for (size_t K = 0; K < Suf; ++K)
    Out.push_back(
        {' ', A[Pre + N + K], unsigned(Pre + N + K), unsigned(Pre + M + K)});
  return Out;
}
} // namespace

std::vector<tooling::Replacement> replacementsOf(const ChangedFile &File) {
  StringRef Before = File.Before;
  std::vector<size_t> LineStart = {0};
  for (size_t I = 0; I < Before.size(); ++I)
    if (Before[I] == '\n')
      LineStart.push_back(I + 1);
  auto Offset = [&](unsigned Line) {
    return Line < LineStart.size() ? LineStart[Line] : Before.size();
  };
  std::vector<DiffLine> Lines = diffLines(File.Before, File.After);
  std::vector<tooling::Replacement> Out;
  for (size_t I = 0; I < Lines.size();) {
    if (Lines[I].Tag == ' ') {
      ++I;
      continue;
    }
    unsigned First = Lines[I].OldLine, End = First;
    std::string Text;
    for (; I < Lines.size() && Lines[I].Tag != ' '; ++I) {
      if (Lines[I].Tag == '-')
        End = Lines[I].OldLine + 1;
      else
        Text += (Lines[I].Text + "\n").str();
    }
    Out.emplace_back(File.Path, Offset(First), Offset(End) - Offset(First),
                     Text);
  }
  // Lines compare without their final newline; if the ends of the files
  // differ there, the line edits are not exact and one whole-file
  // replacement is.
  tooling::Replacements Set;
  for (const tooling::Replacement &R : Out)
    if (Error E = Set.add(R)) {
      consumeError(std::move(E));
      Set = tooling::Replacements();
      break;
    }
  Expected<std::string> Applied = tooling::applyAllReplacements(Before, Set);
  if (!Applied || *Applied != File.After) {
    if (!Applied)
      consumeError(Applied.takeError());
    return {tooling::Replacement(File.Path, 0, Before.size(), File.After)};
  }
  return Out;
}

void printUnifiedDiff(raw_ostream &OS, const ChangedFile &File) {
  std::vector<DiffLine> Lines = diffLines(File.Before, File.After);
  std::vector<size_t> Changed;
  for (size_t I = 0; I < Lines.size(); ++I)
    if (Lines[I].Tag != ' ')
      Changed.push_back(I);
  const size_t Context = 3;
  OS << "--- " << File.Path << "\n+++ " << File.Path << "\n";
  for (size_t C = 0; C < Changed.size();) {
    // A hunk takes every change within 2*Context lines of the previous one.
    size_t Last = C;
    while (Last + 1 < Changed.size() &&
           Changed[Last + 1] - Changed[Last] <= 2 * Context + 1)
      ++Last;
    size_t Begin = Changed[C] > Context ? Changed[C] - Context : 0;
    size_t End = std::min(Lines.size(), Changed[Last] + Context + 1);
    unsigned OldCount = 0, NewCount = 0;
    for (size_t K = Begin; K < End; ++K) {
      OldCount += Lines[K].Tag != '+';
      NewCount += Lines[K].Tag != '-';
    }
    OS << "@@ -" << Lines[Begin].OldLine + 1 << "," << OldCount << " +"
       << Lines[Begin].NewLine + 1 << "," << NewCount << " @@\n";
    for (size_t K = Begin; K < End; ++K)
      OS << Lines[K].Tag << Lines[K].Text << "\n";
    C = Last + 1;
  }
}

} // namespace vinyl
