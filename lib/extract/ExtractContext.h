//===- ExtractContext.h - What every extraction facet shares ---*- C++ -*-===//
//
// Extraction is one walk of a translation unit (Traversal.cpp) shown to a
// few facets, one concern each: declarations and their anchors, call
// sites, callables, threads, compiler hazards, coroutine misuse. This is
// all they share: the source manager and the paths (where a thing is, and
// whether it may be rewritten), the function being walked, the facts being
// built, a handful of marks one facet leaves for another (an expression
// already awaited, a callee name, a lambda a thread runs), and the one
// place a call is recorded, where every facet annotates it.
//
// Private to lib/extract/; the unit tests include it to run one facet.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_EXTRACT_EXTRACTCONTEXT_H
#define VINYL_ASYNCIFY_LIB_EXTRACT_EXTRACTCONTEXT_H

#include "ExtractInternal.h"
#include "vinyl-asyncify/extract/CallSites.h"
#include "vinyl-asyncify/extract/Extract.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <memory>
#include <string>
#include <vector>

namespace vinyl::extract {

class Facet;

class ExtractContext {
public:
  ExtractContext(clang::ASTContext &Ctx, const ExtractOptions &Opts,
                 Facts &Out);

  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  const clang::LangOptions &LO;
  const Config &Cfg;
  const PathSet &Writable;
  Facts &Out;

  /// \name Where things are
  /// @{
  /// Whether \p Loc (its expansion, for a macro) is in a file under the
  /// paths.
  bool isWritableLoc(clang::SourceLocation Loc);
  /// The real path of the file of \p FileLoc if it is under the paths.
  llvm::StringRef pathOf(clang::SourceLocation FileLoc);
  /// Whether some declaration of \p FD is under the paths.
  bool isOurs(const clang::FunctionDecl *FD);
  std::string id(const clang::FunctionDecl *FD);
  Location location(clang::SourceLocation Loc) { return locationOf(SM, Loc); }
  /// The one parent of \p Node as a \p T, or null: none, several (a
  /// template's instantiations share nodes), or of another kind.
  template <class T, class NodeT> const T *parentAs(const NodeT &Node) {
    clang::DynTypedNodeList Parents = Ctx.getParents(Node);
    return Parents.size() == 1 ? Parents[0].template get<T>() : nullptr;
  }

  /// Where a loop's body \p Body ends: after its '}' or, a simple
  /// statement (an expression, `;`, return, break, continue), its ';'.
  /// Invalid for any other statement.
  clang::SourceLocation bodyEnd(const clang::Stmt *Body);

  unsigned lineOf(const clang::Stmt *S);
  unsigned lineOf(const clang::Decl *D);
  Anchor anchor(clang::CharSourceRange R);
  /// The file range a token range is written at, or an empty anchor and a
  /// Problem when a macro writes it.
  Anchor fileAnchor(clang::SourceRange R, std::string &Problem);
  /// The callee's name token in \p CE.
  Anchor nameAnchor(const clang::CallExpr *CE, std::string &Problem);
  /// The task type, or the ready-or-task result of a split function (the
  /// plain half an earlier run wrote), which is awaited the same way.
  bool isTask(clang::QualType T) const {
    return isTaskType(T, Cfg.TaskType) || isTaskType(T, std::string(FastTaskType));
  }
  /// A function named \p Name beside \p Of (its context) that returns the
  /// task type and takes \p Of's parameters after the first \p Skip: a
  /// facade's coroutine (Skip 0), a synchronous twin's (Skip 1, the tag).
  const clang::FunctionDecl *taskSibling(const clang::FunctionDecl &Of,
                                         llvm::StringRef Name,
                                         unsigned Skip = 0);
  /// The same for the coroutine half of a split function (fast_paths):
  /// named \p Name, its first parameter vinyl::slow_t, then \p Of's
  /// parameters after the first \p Skip.
  const clang::FunctionDecl *slowSibling(const clang::FunctionDecl &Of,
                                         llvm::StringRef Name,
                                         unsigned Skip);
  /// Whether \p A's parameters after the first \p SkipA have the types of
  /// \p B's after the first \p SkipB.
  bool sameParameters(const clang::FunctionDecl &A, unsigned SkipA,
                      const clang::FunctionDecl &B, unsigned SkipB);
  /// @}

  /// \name The function being walked
  /// @{
  const clang::FunctionDecl *currentFunction() const {
    return Stack.empty() ? nullptr : Stack.back();
  }
  bool inCoroutine() const;
  /// Walking an instantiation of a template: its calls are recorded as the
  /// pattern's, nothing else is.
  bool inInstantiation() const { return InInstantiation; }
  /// See FunctionFact::AsyncNameTaken.
  const clang::NamedDecl *asyncNameTaken(const clang::FunctionDecl &FD);
  /// The facts of \p FD, created with what its declaration says.
  FunctionFact &fact(const clang::FunctionDecl *FD);
  /// @}

  /// \name Marks a facet leaves on a node before its children are walked
  /// @{
  /// Operands of co_await.
  llvm::DenseSet<const clang::Expr *> Awaited;
  /// Arguments of the configured block_on.
  llvm::DenseSet<const clang::Expr *> BlockedOn;
  /// Functions named as what is called (a callee, a thread's callable):
  /// not an address taken.
  llvm::DenseSet<const clang::Expr *> CalleeRefs;
  /// Lambdas and function objects a thread or a spawn runs: not closures
  /// or objects that escape.
  llvm::DenseSet<const clang::Expr *> SpawnedCallables;
  /// @}

  /// Records a call (or an address, a spawn, a join) made at \p E by the
  /// current function: where it is, its anchor, why co_await cannot go
  /// there, then each facet's annotations. Returns its index in Out.Calls.
  size_t recordCall(const clang::Expr *E, CallFact C);
  /// The same for a use a declaration makes (a type that names a function
  /// object), at \p Loc, with no anchor and no annotations.
  size_t recordUse(clang::SourceLocation Loc, CallFact C);

  /// Inactive #if branches of the TU.
  llvm::ArrayRef<clang::SourceRange> Skipped;

  /// \name Kept by the traversal
  /// @{
  std::vector<const clang::FunctionDecl *> Stack;
  bool InInstantiation = false;
  /// Why co_await is not allowed where the walk is, innermost last.
  std::vector<std::string> ForbiddenWhy;
  /// The walk is in the calls a range-for makes for its iteration.
  bool InRangeForIteration = false;
  /// While the call a C++20 comparison is rewritten to is shown: the
  /// comparison as written (`a != b` for `!(a == b)`).
  const clang::CXXRewrittenBinaryOperator *Rewritten = nullptr;
  /// Catch handlers open around the current point, per function.
  llvm::SmallVector<unsigned, 8> CatchDepth = {0};
  /// The facets, in the order they see each node and annotate each call.
  std::vector<Facet *> Facets;
  /// @}

private:
  /// A function named \p Name beside \p Of that \p Accept takes, whose
  /// parameters after its first \p SiblingSkip are \p Of's after its first
  /// \p Skip.
  const clang::FunctionDecl *
  sibling(const clang::FunctionDecl &Of, llvm::StringRef Name, unsigned Skip,
          unsigned SiblingSkip,
          llvm::function_ref<bool(const clang::FunctionDecl &)> Accept);

  llvm::DenseMap<clang::FileID, std::string> WritableFiles;
  llvm::DenseMap<const clang::FunctionDecl *, std::string> Ids;
};

/// One concern of extraction. Each hook is called as the walk reaches a
/// node of its kind, a parent before its children; the default does
/// nothing. In a template instantiation only call() and
/// instantiatedLambda() are shown (the pattern has the rest); a facet that
/// records a call there only in the pattern checks inInstantiation().
class Facet {
public:
  explicit Facet(ExtractContext &X) : X(X) {}
  virtual ~Facet();

  virtual void functionDecl(const clang::FunctionDecl &) {}
  virtual void varDecl(const clang::VarDecl &) {}
  virtual void fieldDecl(const clang::FieldDecl &) {}
  virtual void typedefNameDecl(const clang::TypedefNameDecl &) {}
  virtual void usingDecl(const clang::UsingDecl &) {}
  virtual void returnStmt(const clang::ReturnStmt &) {}
  /// A lambda of the code as written, before its body is walked (so
  /// currentFunction() is the enclosing function).
  virtual void lambda(const clang::LambdaExpr &) {}
  /// A lambda in an instantiation, and the call operator of the lambda
  /// written in the pattern.
  virtual void instantiatedLambda(const clang::LambdaExpr &,
                                  const clang::CXXMethodDecl &) {}
  /// A call. True when the facet has taken it: the facets after it do not
  /// see it.
  virtual bool call(const clang::CallExpr &) { return false; }
  /// Shown after call() for the same node.
  virtual void memberCall(const clang::CXXMemberCallExpr &) {}
  virtual void operatorCall(const clang::CXXOperatorCallExpr &) {}
  virtual void construct(const clang::CXXConstructExpr &) {}
  virtual void declRef(const clang::DeclRefExpr &) {}
  virtual void memberExpr(const clang::MemberExpr &) {}
  /// Every expression of the code as written.
  virtual void expr(const clang::Expr &) {}
  virtual void forRange(const clang::CXXForRangeStmt &) {}
  /// A block: what is declared in it ends with it.
  virtual void enterBlock() {}
  virtual void leaveBlock() {}
  /// A function body (a lambda's inside another) begins and ends: state
  /// kept per function is put aside and restored.
  virtual void enterFunction() {}
  virtual void leaveFunction() {}
  /// Every call recorded, by any facet, before it is stored.
  virtual void annotate(const clang::Expr &, CallFact &) {}
  /// After the walk.
  virtual void finish() {}

protected:
  ExtractContext &X;
};

/// \name The facets (one file each)
/// @{
std::unique_ptr<Facet> makeDeclarationsFacet(ExtractContext &X);
std::unique_ptr<Facet> makeCallablesFacet(ExtractContext &X);
std::unique_ptr<Facet> makeMisuseFacet(ExtractContext &X);
std::unique_ptr<Facet> makeSyncFacet(ExtractContext &X);
std::unique_ptr<Facet> makeThreadsFacet(ExtractContext &X);
std::unique_ptr<Facet> makeThreadMembersFacet(ExtractContext &X);
std::unique_ptr<Facet> makeCallsFacet(ExtractContext &X);
std::unique_ptr<Facet> makeHazardsFacet(ExtractContext &X);
std::unique_ptr<Facet> makeCatchFacet(ExtractContext &X);
std::unique_ptr<Facet> makeUninstantiatedCallsFacet(ExtractContext &X);
std::unique_ptr<Facet> makeTwinsFacet(ExtractContext &X);
std::unique_ptr<Facet> makeFastPathFacet(ExtractContext &X);
std::unique_ptr<Facet> makeResumeFacet(ExtractContext &X);
/// @}

/// Every facet, in the order each node is shown to them: a facet that
/// takes a call (callables: a call through a callback type; threads: a
/// spawn) comes before the call-sites facet, which records the rest.
std::vector<std::unique_ptr<Facet>> makeAllFacets(ExtractContext &X);

/// Walks the TU once (Traversal.cpp), showing each node to X.Facets, then
/// calls their finish().
void traverse(ExtractContext &X);

/// What a call's parent statement says about it (shared by facets).
/// Whether \p E is the object of a call `E(args)`.
bool isCalledObject(const clang::Expr *E, clang::ASTContext &Ctx);
/// `&Server::serve` names a member function a thread runs on its next
/// argument.
const clang::Expr *withoutAddressOf(const clang::Expr *E);

/// Each instantiation with a body that this unit made of the template text
/// \p Pattern: a function template's implicit specialisations, and, in
/// each specialisation of the enclosing class template (not the explicit
/// ones, which have text of their own), the member or the member
/// template's specialisations made from it.
void forEachInstantiation(
    const clang::FunctionDecl *Pattern,
    llvm::function_ref<void(const clang::FunctionDecl *)> Body);

} // namespace vinyl::extract

#endif
