//===- Recover.cpp - Finishing or undoing an interrupted write phase ------===//
//
// writeAtomically writes every new text to a temporary NAME.vinyl-H-XXXXXX
// and links the old one to a backup NAME.vinyl-old-H-XXXXXX, H naming the
// new text (writeTag); only then does it rename the temporaries over the
// files, and only then remove the backups. A run killed on the way leaves:
//  - before the first rename: temporaries (the last maybe cut short) and
//    backups, every file as it was: removing them all is the undo;
//  - between renames: some files hold their new text (H matches), the rest
//    their old one, each with a whole temporary and every file a backup:
//    renaming the rest of the temporaries finishes the write;
//  - while removing backups: every file new, some backups left.
// The next run tells these apart from the files themselves, before it
// parses anything, and lands on the whole conversion or the original. A
// file that is neither its old nor its new text was edited since: it is
// kept as it is, with its backup, and the run says so.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/apply/Apply.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <map>

using namespace llvm;

namespace vinyl {

std::string writeTag(StringRef NewText) {
  return utohexstr(xxh3_64bits(NewText), /*LowerCase=*/true, /*Width=*/16);
}

namespace {

/// What one file has next to it: backups and temporaries, each with the
/// tag its name carries (several, if several runs were killed).
struct Group {
  std::vector<std::pair<std::string, std::string>> Backups, Temps;
};

/// NAME.vinyl-old-TAG-XXXXXX or NAME.vinyl-TAG-XXXXXX: the file it
/// belongs to, the tag, and whether it is a backup.
bool parseLeftover(StringRef Path, std::string &File, std::string &Tag,
                   bool &IsBackup) {
  StringRef Name = sys::path::filename(Path);
  size_t At = Name.rfind(".vinyl-");
  if (At == StringRef::npos || At == 0)
    return false;
  StringRef Rest = Name.drop_front(At + 7);
  IsBackup = Rest.consume_front("old-");
  // TAG-XXXXXX: 16 and 6 hex digits.
  if (Rest.size() != 23 || Rest[16] != '-' ||
      !llvm::all_of(Rest.take_front(16), isHexDigit) ||
      !llvm::all_of(Rest.drop_front(17), isHexDigit))
    return false;
  Tag = Rest.take_front(16).str();
  SmallString<256> Of(sys::path::parent_path(Path));
  sys::path::append(Of, Name.take_front(At));
  File = std::string(Of);
  return true;
}

std::optional<std::string> contents(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

/// The leftovers under \p Roots, by file. Directory links are not
/// followed (a link may loop, or lead out of the paths), nor are the
/// folders the unseen-file search leaves out.
std::map<std::string, Group> findLeftovers(ArrayRef<std::string> Roots) {
  std::map<std::string, Group> Found;
  auto See = [&](StringRef Path) {
    std::string File, Tag;
    bool IsBackup;
    if (!parseLeftover(Path, File, Tag, IsBackup))
      return;
    Group &G = Found[File];
    (IsBackup ? G.Backups : G.Temps).push_back({Path.str(), Tag});
  };
  for (const std::string &Root : Roots) {
    std::error_code EC;
    if (!sys::fs::is_directory(Root)) {
      // A file given alone: what lies next to it under its name.
      std::string Prefix = sys::path::filename(Root).str() + ".vinyl-";
      for (sys::fs::directory_iterator It(sys::path::parent_path(Root), EC),
           End;
           It != End && !EC; It.increment(EC))
        if (sys::path::filename(It->path()).starts_with(Prefix))
          See(It->path());
      continue;
    }
    for (sys::fs::recursive_directory_iterator It(Root, EC,
                                                  /*follow_symlinks=*/false),
         End;
         It != End && !EC; It.increment(EC)) {
      // Hidden folders (.git) and build trees hold no source the tool
      // writes, and may hold many files.
      if (It->type() == sys::fs::file_type::directory_file) {
        SmallString<256> Cache(It->path());
        sys::path::append(Cache, "CMakeCache.txt");
        if (sys::path::filename(It->path()).starts_with(".") ||
            sys::fs::exists(Cache))
          It.no_push();
        continue;
      }
      if (It->type() == sys::fs::file_type::regular_file)
        See(It->path());
    }
  }
  return Found;
}

/// A leftover of \p Of whose tag is \p Tag and, if \p Whole, whose text
/// is the one its tag names.
const std::string *withTag(
    const std::vector<std::pair<std::string, std::string>> &Of,
    StringRef Tag, bool Whole) {
  for (const auto &[Path, T] : Of) {
    if (T != Tag)
      continue;
    std::optional<std::string> Text = Whole ? contents(Path) : std::nullopt;
    if (!Whole || (Text && writeTag(*Text) == Tag))
      return &Path;
  }
  return nullptr;
}

} // namespace

unsigned recoverInterruptedWrite(ArrayRef<std::string> Roots, bool Repair,
                                 raw_ostream &Log) {
  std::map<std::string, Group> Found = findLeftovers(Roots);
  if (Found.empty())
    return 0;
  if (!Repair) {
    for (const auto &[File, G] : Found)
      Log << File << ": warning: an interrupted conversion left '"
          << sys::path::filename(G.Backups.empty() ? G.Temps.front().first
                                                   : G.Backups.front().first)
          << "' here; run vinyl-asyncify on these paths to finish or undo "
             "it\n";
    return Found.size();
  }
  // Which files hold their new text (their tag) and which their old one
  // (a backup's). Only once a file was replaced do the backups matter:
  // before that every file is as it was, and a backup may be cut short.
  enum class State { Old, New, Edited };
  std::map<std::string, State> States;
  std::map<std::string, std::string> NewTag;
  bool AnyNew = false;
  for (const auto &[File, G] : Found) {
    std::optional<std::string> Now = contents(File);
    std::string Tag = Now ? writeTag(*Now) : "";
    if (Now && withTag(G.Backups, Tag, /*Whole=*/false)) {
      States[File] = State::New;
      NewTag[File] = Tag;
      AnyNew = true;
    }
  }
  bool CanFinish = true;
  for (const auto &[File, G] : Found) {
    if (States.count(File))
      continue;
    std::optional<std::string> Now = contents(File);
    bool Old = !AnyNew || llvm::any_of(G.Backups, [&](const auto &B) {
      return contents(B.first) == Now;
    });
    States[File] = Old && Now ? State::Old : State::Edited;
    // A file still old is finished from a whole temporary of its backup's
    // tag.
    if (AnyNew && States[File] == State::Old)
      CanFinish &= llvm::any_of(G.Backups, [&](const auto &B) {
        return withTag(G.Temps, B.second, /*Whole=*/true) != nullptr;
      });
  }
  unsigned Reported = 0;
  for (auto &[File, G] : Found) {
    State S = States[File];
    std::string Done;
    std::string Keep; // A backup kept for the user.
    if (S == State::Edited && !G.Backups.empty()) {
      Keep = G.Backups.front().first;
      Log << File << ": warning: an interrupted conversion replaced this "
          << "file, and it was changed since; it is kept as it is, its "
             "original in '"
          << sys::path::filename(Keep) << "'\n";
      ++Reported;
    } else if (AnyNew && CanFinish && S == State::Old) {
      for (const auto &B : G.Backups)
        if (const std::string *T = withTag(G.Temps, B.second, true);
            T && !sys::fs::rename(*T, File)) {
          Done = "finished writing its conversion";
          break;
        }
    } else if (AnyNew && !CanFinish && S == State::New) {
      if (const std::string *B = withTag(G.Backups, NewTag[File], false);
          B && !sys::fs::rename(*B, File))
        Done = "put its original back";
    }
    // The rest is not needed: a temporary is never the only copy of a
    // text, nor a backup once its file is settled.
    for (const auto &[Temp, Tag] : G.Temps)
      sys::fs::remove(Temp);
    for (const auto &[Backup, Tag] : G.Backups)
      if (Backup != Keep)
        sys::fs::remove(Backup);
    if (S == State::Edited)
      continue;
    Log << File << ": note: recovered from an interrupted conversion: "
        << (Done.empty() ? "removed what it left next to this file" : Done)
        << "\n";
    ++Reported;
  }
  return Reported;
}

} // namespace vinyl
