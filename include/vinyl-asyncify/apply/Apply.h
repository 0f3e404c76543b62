//===- Apply.h - Edits to new file contents, verified, written whole -*- C++ -*-===//
#ifndef VINYL_ASYNCIFY_APPLY_APPLY_H
#define VINYL_ASYNCIFY_APPLY_APPLY_H

#include "vinyl-asyncify/facts/Facts.h"
#include "vinyl-asyncify/rewrite/Rewrite.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tooling {
class CompilationDatabase;
}

namespace vinyl {

struct ChangedFile {
  std::string Path;
  std::string Before, After;
};

/// Applies each file's change to its text, formatting only the edited lines
/// when the project has a .clang-format (the user's style is kept as is
/// otherwise). Files whose text does not change are left out.
llvm::Expected<std::vector<ChangedFile>>
applyChanges(llvm::ArrayRef<clang::tooling::AtomicChange> Changes,
             SourceFiles &Sources);

/// Parses, in memory, every TU that includes a changed file, with the new
/// contents and the runtime headers on the include path; fails (printing the
/// compiler's diagnostics to \p Diagnostics) if any of them no longer
/// compiles.
llvm::Error verify(const clang::tooling::CompilationDatabase &DB,
                   const Facts &F, llvm::ArrayRef<ChangedFile> Files,
                   llvm::StringRef RuntimeIncludeDir, unsigned Jobs,
                   llvm::raw_ostream &Diagnostics);

/// Moves a file over another (std::error_code like llvm::sys::fs::rename).
using RenameFunction =
    llvm::function_ref<std::error_code(const llvm::Twine &From,
                                       const llvm::Twine &To)>;

/// Writes every file through a temporary next to it and renames them only
/// once all temporaries are written, so a failure leaves every file as it
/// was: if a rename fails, the files already replaced are put back from
/// hard links (or copies) of their old contents. A path that is a symbolic
/// link is written through: its target is replaced, the link stays.
/// \p Rename is the rename to use (tests make it fail).
llvm::Error writeAtomically(llvm::ArrayRef<ChangedFile> Files,
                            RenameFunction Rename = nullptr);

/// 16 hex digits naming \p NewText, carried by the names of the
/// temporary (NAME.vinyl-TAG-XXXXXX) and the backup (NAME.vinyl-old-TAG-
/// XXXXXX) writeAtomically makes for a file: a later run can tell from the
/// file whether it was replaced.
std::string writeTag(llvm::StringRef NewText);

/// Finds what an interrupted run's write phase left next to the files
/// under \p Roots and, when \p Repair, finishes or undoes that write, so
/// that the files are all converted or all original, and removes the
/// leftovers; a file edited since is kept as it is, with its backup. Says
/// on \p Log what it did (or, without \p Repair, what it found, as
/// warnings). Returns how many files it reported.
unsigned recoverInterruptedWrite(llvm::ArrayRef<std::string> Roots,
                                 bool Repair, llvm::raw_ostream &Log);

/// Replacements that turn \p File's old text into its new one, one per
/// changed run of lines.
std::vector<clang::tooling::Replacement> replacementsOf(const ChangedFile &File);

/// A unified diff of one file, like `diff -u`.
void printUnifiedDiff(llvm::raw_ostream &OS, const ChangedFile &File);

} // namespace vinyl

#endif
