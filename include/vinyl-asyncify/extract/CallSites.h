//===- CallSites.h - What a call means for conversion -----------*- C++ -*-===//
//
// The questions every AST consumer of the library asks about a call: is the
// callee a rules leaf, the blocking wait, a facade over an async twin, does
// it return the task type, and does `co_await` in front of it need
// parentheses. Extraction and the clang-tidy checks share these answers so
// that the IDE squiggles and the whole-program conversion never disagree.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_EXTRACT_CALLSITES_H
#define VINYL_ASYNCIFY_EXTRACT_CALLSITES_H

#include "vinyl-asyncify/config/Config.h"

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class QualType;
} // namespace clang

namespace vinyl {

/// The leaf rule a call of \p Callee matches by qualified name, or null.
const LeafRule *findLeaf(const Config &C, const clang::FunctionDecl &Callee);

/// Whether \p Callee is the configured blocking wait (`vinyl::block_on`).
bool isBlockOn(const Config &C, const clang::FunctionDecl &Callee);

/// Whether \p T, sugar and cv-qualifiers aside, is a class (or a
/// specialisation of a class template) whose qualified name is one of
/// \p TaskTypes ("vinyl::task").
bool isTaskType(clang::QualType T, llvm::ArrayRef<std::string> TaskTypes);

/// Whether \p FD is a synchronous twin: its first parameter is the twin
/// tag, `vinyl::twin_t`.
bool isTwinTag(const clang::FunctionDecl &FD);
/// Whether \p FD is the coroutine half of a split function: its first
/// parameter is `vinyl::slow_t`.
bool isSlowTag(const clang::FunctionDecl &FD);

/// For a facade, `R f(P... p) { return block_on(g(p...)); }` (or the same
/// wait as the only statement of a void function), the call of its async
/// twin `g` inside it; null for anything else. The wait may follow the
/// dispatch to a synchronous twin, `if (vinyl::runs_blocking()) return
/// f(vinyl::twin, p...);`. \p FD must have a body.
const clang::CallExpr *facadeTwinCall(const Config &C,
                                      const clang::FunctionDecl &FD);

/// Whether the twin call of a facade forwards the facade's parameters in
/// order (possibly through std::move), so a call of the facade becomes a
/// call of the twin by renaming the callee alone.
bool forwardsParameters(const clang::FunctionDecl &Facade,
                        const clang::CallExpr &TwinCall);

/// `co_await` is a unary operator: it binds looser than every postfix
/// operator, so a call used as the object of one needs parentheses
/// ("(co_await f()).m").
bool awaitNeedsParens(const clang::Expr *Call, clang::ASTContext &Ctx);

/// The nearest parent statement of \p E that the source spells, skipping
/// what the AST adds around an expression (implicit casts, temporaries,
/// cleanups); \p Child is set to the node under it. Null if there is none
/// (the parent is a declaration).
const clang::Stmt *skipImplicitParents(const clang::Expr *E,
                                       clang::ASTContext &Ctx,
                                       const clang::Expr *&Child);

/// The id facts use for a function: the USR of the canonical declaration of
/// its template pattern (every specialisation is its pattern).
std::string functionId(const clang::FunctionDecl &FD);

} // namespace vinyl

#endif
