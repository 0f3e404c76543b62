//===- ThreadSpawns.h - Where a spawn-rule thread is started -----*- C++
//-*-===//
//
// What the thread facets share about one place a thread is started: the
// temporary written there, the function or lambda it runs (unwrapping a
// std::bind), and the edits that make it a spawn. Local threads, their
// containers (ThreadsFacet) and member threads (ThreadMembersFacet) each
// add their own uses around it.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_EXTRACT_THREADSPAWNS_H
#define VINYL_ASYNCIFY_LIB_EXTRACT_THREADSPAWNS_H

#include "ExtractContext.h"

namespace vinyl::extract {

/// `T(f, a)` or `T{f, a}`: the construction of a temporary and its type as
/// written.
bool threadTemporary(const clang::Expr *E,
                     const clang::CXXConstructExpr *&Construct,
                     clang::TypeLoc &Type);

/// "join(), detach(), joinable()": the members a handle of \p Rule has.
std::string handleMembers(const SpawnRule &Rule);

class ThreadSpawns {
public:
  explicit ThreadSpawns(ExtractContext &X) : X(X) {}

  /// "file:line:col Name": the group of the spawns and joins of the
  /// threads kept in the declaration at \p Loc (a container, a member).
  std::string group(clang::SourceLocation Loc, llvm::StringRef Name) const;

  /// The spawn rule of a thread type, if any.
  const SpawnRule *threadRule(clang::QualType Type) const;

  /// The function, member function or lambda a spawn-rule thread runs (its
  /// first argument), or false if it runs something else. Braces around
  /// the arguments become the parentheses of a call.
  bool spawnedCallable(const clang::CXXConstructExpr *Construct,
                       const SpawnRule &Rule, CallFact &C);
  /// \p Callable followed by \p MoreArgs arguments of the thread. A
  /// `std::bind` or `std::bind_front` of a function of the paths is
  /// unwrapped: its arguments become the spawn's.
  bool spawnedCallable(const clang::Expr *Callable, unsigned MoreArgs,
                       const SpawnRule &Rule, CallFact &C);

  /// A spawn of a thread kept in a member or container that stays a
  /// thread: the hand-over of its callable it was (a fallback with the
  /// reason), not a spawn.
  static void keepThread(CallFact &C, llvm::StringRef Holder,
                         llvm::StringRef Stays, llvm::StringRef Why);

  /// \p Tokens become \p Text, or a Problem where a macro writes them.
  void spawnEdit(CallFact &C, clang::SourceRange Tokens, std::string Text);
  /// A zero-width spawn edit: text inserted before \p At.
  void spawnInsert(CallFact &C, clang::SourceLocation At, std::string Text);
  /// Text removed from a spawn, \p Chars.
  void spawnRemove(CallFact &C, clang::CharSourceRange Chars);

private:
  const clang::CXXMethodDecl *spawnedObject(const clang::Expr *E) const;
  bool boundCallable(const clang::CallExpr *Bind, unsigned MoreArgs,
                     const SpawnRule &Rule, CallFact &C);

  ExtractContext &X;
};

} // namespace vinyl::extract

#endif
