//===- Lowering.h - Statements rewritten for g++'s sake ---------*- C++ -*-===//
//
// g++ evaluates a co_await in an operand that may be skipped (the right of
// && or ||, a branch of ?:) even when it is skipped, and destroys a class
// temporary made by ?: twice when the full-expression suspends. Both go
// away when the operator becomes an if statement around copies of the rest
// of the statement:
//
//   return a && f();      ->  { if (a) { return f(); } else { return false; } }
//   v = c ? x() : y();    ->  { if (c) { v = x(); } else { v = y(); } }
//   send(c ? s : "");     ->  { if (c) { send(static_cast<std::string>(s)); }
//                               else { send(static_cast<std::string>("")); } }
//
// Only one copy runs, so the rest of the statement is still evaluated once;
// a branch is cast to the operator's type where its own differs, so each
// copy calls what the original called. The lowering is refused where the
// rest of the statement has side effects that the original evaluated
// before the operator.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_EXTRACT_LOWERING_H
#define VINYL_ASYNCIFY_EXTRACT_LOWERING_H

#include "ExtractContext.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

namespace vinyl::extract {

/// A piece of new text for a lowering.
LoweredPiece text(llvm::StringRef T);

/// Whether \p S is the statement \p Parent runs (a block's, a branch's, a
/// body's), not a part of it.
bool isStatementOf(const clang::Stmt *Parent, const clang::Stmt *S);

class StatementLowerer {
public:
  explicit StatementLowerer(ExtractContext &X) : X(X) {}

  /// Whether \p O is an operator the lowering removes from \p Full: a
  /// skippable operand holds a call that may be awaited, or it is a ?:
  /// class temporary in a full-expression with such a call.
  bool isTarget(const clang::Expr *O, const clang::Expr *Full);

  /// The statement whose full-expression is \p Full (a return, a
  /// co_return or an expression statement), lowered for the call \p Call
  /// in it; std::nullopt with the reason in \p Why if it cannot be.
  std::optional<Lowering> statement(const clang::Expr *Full,
                                    const clang::Expr *Call, std::string &Why);

  /// The try statement \p Try with each handler that may await (it
  /// calls \p Call or another function that may become a coroutine)
  /// moved after it: the handler keeps the exception and its index, and
  /// the body runs after the try statement with its declaration bound to
  /// the same object and `throw;` a rethrow of it (LowerCatch.cpp).
  std::optional<Lowering> tryStatement(const clang::CXXTryStmt *Try,
                                       const clang::Expr *Call,
                                       std::string &Why);

  /// The statement whose full-expression \p Full builds a braced
  /// aggregate around calls that may be awaited (`Rec r{word(fd),
  /// num(fd)};`), with those calls first, each into a variable, in order:
  /// `decltype(auto) vinyl_t7_1 = word(fd); ... Rec r{static_cast<
  /// decltype(vinyl_t7_1) &&>(vinyl_t7_1), ...};` (g++ destroys the
  /// aggregate's members twice when its full-expression suspends).
  std::optional<Lowering> hoistAwaits(const clang::Expr *Full,
                                      const clang::Expr *Call,
                                      std::string &Why);

  /// The statement whose full-expression \p Full builds a
  /// std::initializer_list beside the call \p Call (g++ 12 cannot compile
  /// the list's array next to co_await), with each object made from
  /// braces first, into a variable the call then takes: `query(c, sql,
  /// {a, b});` becomes `{ std::vector<std::string> vinyl_l7_1 = {a, b};
  /// query(c, sql, std::move(vinyl_l7_1)); }` (LowerHoist.cpp).
  std::optional<Lowering> hoistInitializerLists(const clang::Expr *Full,
                                                const clang::Expr *Call,
                                                std::string &Why);

  /// Whether g++ 12 would evaluate the awaited call \p Call before
  /// something with side effects that the original evaluated first, in
  /// the full-expression \p Full (g++ evaluates a full-expression's
  /// co_awaits before the rest of it; LowerOrder.cpp).
  bool evaluatedAfterEffects(const clang::Expr *Call,
                             const clang::Expr *Full);

  /// The statement whose full-expression is \p Full, with each operand
  /// that has side effects, up to the last call that may be awaited, first
  /// in a variable of its own, in the order the original evaluated them
  /// (`decltype(auto) vinyl_o7_1 = std::cout << prompt(); decltype(auto)
  /// vinyl_o7_2 = read_line(fd); ...`), so that g++ 12 keeps that order.
  std::optional<Lowering> hoistInOrder(const clang::Expr *Full,
                                       const clang::Expr *Call,
                                       std::string &Why);

  /// `(void)std::initializer_list<int>{(f(args), 0)...};` as the fold
  /// expression `((void)f(args), ...);`.
  std::optional<Lowering> foldInitializerList(const clang::Expr *Full,
                                              const clang::Expr *Call,
                                              std::string &Why);

  /// Edits that make each operand of \p Full that may be skipped (the
  /// right of && or ||, a branch of a scalar ?:) and makes a class object a
  /// lambda called in place, when it cannot be awaited itself: g++ 12 makes
  /// those objects before the first await, also when the operand is
  /// skipped (LowerSkipped.cpp). False, with the reason in \p Why, when
  /// one is written by a macro.
  bool wrapSkippedTemporaries(const clang::Expr *Full, const clang::Expr *Call,
                              std::vector<TextEdit> &Edits, std::string &Why);

  /// `for (init; cond; inc) body` as `for (init; ; inc) { if (!(cond))
  /// break; body }` (continue still runs inc and re-tests); an unbraced
  /// body's closing brace goes in \p Edits.
  std::optional<Lowering> forCondition(const clang::ForStmt *For,
                                       std::vector<TextEdit> &Edits);

  /// `do body while (cond);` as `for (bool vinyl_again_L = false;;
  /// vinyl_again_L = true) { if (vinyl_again_L && !(cond)) break; body }`
  /// (L: the line of the `do`): the condition is tested before every
  /// iteration but the first, and continue still goes to it.
  std::optional<Lowering> doCondition(const clang::DoStmt *Do);

private:
  using Pieces = std::vector<LoweredPiece>;

  /// A new lowering of \p Full, for \p Call.
  void start(const clang::Expr *Full, const clang::Expr *Call);
  /// No lowering, because of \p Reason (said in \p Why).
  std::optional<Lowering> refuse(std::string &Why, llvm::StringRef Reason);

  bool rethrows(const clang::Stmt *S, const clang::CXXCatchStmt *Handler,
                llvm::SmallVectorImpl<const clang::CXXThrowExpr *> &Out);

  bool lower(Pieces &Out, const Pieces &Pre, const clang::Expr *Region,
             const Pieces &Post, std::string &Why);
  bool containsCandidate(const clang::Stmt *S);
  bool isCandidateCall(const clang::CallExpr *CE);
  std::optional<Lowering> hoistAggregate(const clang::Stmt *S, bool Braces,
                                         std::string &Why);
  /// The outermost calls that may be awaited in \p S: inside a braced
  /// aggregate g++ mishandles (\p In), or not (\p Around).
  void outermostCalls(const clang::Stmt *S, bool InAggregate,
                      llvm::SmallVectorImpl<const clang::Expr *> &In,
                      llvm::SmallVectorImpl<const clang::Expr *> &Around);
  void targets(const clang::Stmt *S, const clang::Expr *Full,
               llvm::SmallVectorImpl<const clang::Expr *> &Out);
  bool reorderable(const clang::Expr *H, const clang::Expr *Root);
  /// Whether evaluating \p E has no side effects (or it is being hoisted).
  bool pure(const clang::Expr *E);
  /// \p E's operands with side effects, and its calls that may be
  /// awaited, in the order g++ evaluated them (LowerOrder.cpp); false,
  /// with the reason in \p Why, where they cannot be separated.
  bool orderUnits(const clang::Expr *E,
                  llvm::SmallVectorImpl<const clang::Expr *> &Out,
                  std::string &Why);
  bool castFor(const clang::Expr *Op, const clang::Expr *Branch,
               std::string &Open, std::string &Close);
  /// \p T as code here can spell it, or std::nullopt.
  std::optional<std::string> spelled(clang::QualType T);
  /// The statement of its own that \p Full is the full-expression of (a
  /// single variable's declaration, a return, an expression statement);
  /// \p Braces tells whether a rewrite of it needs braces around it.
  const clang::Stmt *ownStatement(bool &Braces, std::string &Why);
  /// Where a rewrite of \p S ends: after its ';'.
  clang::SourceLocation statementEnd(const clang::Stmt *S);
  /// Where statement \p S ends, its branches and body included (invalid
  /// if that is not plain code).
  clang::SourceLocation endOf(const clang::Stmt *S);
  /// \p S with each of \p Moved first, in a variable of its own
  /// (`Types[I] <Prefix><line>_<I+1> = <Moved[I]>; `), taken where it was
  /// written as \p Use(name); in braces unless \p Braces is false.
  std::optional<Lowering>
  hoisted(const clang::Stmt *S, bool Braces,
          llvm::ArrayRef<const clang::Expr *> Moved,
          llvm::ArrayRef<std::string> Types, llvm::StringRef Prefix,
          llvm::function_ref<std::string(const std::string &)> Use,
          std::string &Why);
  /// [\p From, \p To) as pieces, each outermost of \p Units inside it
  /// replaced by the text \p Use(its index); false where part of it is
  /// written by a macro.
  bool withUnits(clang::SourceLocation From, clang::SourceLocation To,
                 llvm::ArrayRef<const clang::Expr *> Units,
                 llvm::function_ref<std::string(size_t)> Use,
                 std::vector<LoweredPiece> &Out);
  std::optional<LoweredPiece> source(clang::SourceLocation B,
                                     clang::SourceLocation E,
                                     bool Operand = false);
  std::optional<LoweredPiece> source(const clang::Expr *E) {
    return source(E->getBeginLoc(), tokenEnd(E->getEndLoc()), true);
  }
  clang::SourceLocation tokenEnd(clang::SourceLocation L);

  ExtractContext &X;
  /// The full-expression being lowered, and the call it is lowered for.
  const clang::Expr *Full = nullptr, *Call = nullptr;
  /// Calls being hoisted together: beside each other, they do not count as
  /// side effects that would be reordered.
  llvm::SmallPtrSet<const clang::Expr *, 4> Hoisted;
};

} // namespace vinyl::extract

#endif
