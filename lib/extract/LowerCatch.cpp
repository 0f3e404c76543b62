//===- LowerCatch.cpp - Handlers that await, moved after the try ----------===//
//
// co_await is not allowed in a catch handler. A handler that may await
// keeps the exception and which handler matched, and its body runs after
// the try statement:
//
//   try {                                 { std::exception_ptr vinyl_exception_12; int vinyl_handler_12 = 0;
//                                         ([[maybe_unused]] on both)
//     return query(c);                    try {
//   } catch (const io_error &e) {           co_return co_await query(c);
//     reconnect(c);                       } catch (const io_error &e) { vinyl_exception_12 = std::current_exception(); vinyl_handler_12 = 1; }
//     throw;                              if (vinyl_handler_12 == 1) { const io_error &e = *vinyl::caught<const io_error &>(vinyl_exception_12);
//   }                                       co_await reconnect(c);
//                                           std::rethrow_exception(vinyl_exception_12);
//                                         } }
//
// Handlers keep their order, so the same one matches; handlers with
// nothing to await stay as written. The declaration binds the exception
// object itself (a reference) or a copy of it (a value), as the handler
// did.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "vinyl-asyncify/facts/Format.h"

#include "clang/AST/ParentMapContext.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

/// Whether \p S never completes normally, as written (its last statement
/// returns, throws or jumps): then neither does the try statement once
/// every handler that stays is such, and the last moved body needs no
/// test (else the compiler would see a path that falls off the end).
static bool endsInJump(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *C = dyn_cast<CompoundStmt>(S))
    return !C->body_empty() && endsInJump(C->body_back());
  if (const auto *If = dyn_cast<IfStmt>(S))
    return endsInJump(If->getThen()) && endsInJump(If->getElse());
  if (const auto *E = dyn_cast<Expr>(S))
    return isa<CXXThrowExpr>(E->IgnoreImplicit());
  return isa<ReturnStmt, CoreturnStmt, BreakStmt, ContinueStmt, GotoStmt>(S);
}

/// The `throw;` expressions of \p S that rethrow what \p Handler caught
/// (not those of a handler nested in it, nor of a lambda); false if one is
/// written by a macro.
bool StatementLowerer::rethrows(const Stmt *S, const CXXCatchStmt *Handler,
                                SmallVectorImpl<const CXXThrowExpr *> &Out) {
  for (const Stmt *Child : S->children()) {
    if (!Child || isa<LambdaExpr>(Child) || isa<CXXCatchStmt>(Child))
      continue;
    if (const auto *T = dyn_cast<CXXThrowExpr>(Child); T && !T->getSubExpr()) {
      if (!T->getBeginLoc().isFileID())
        return false;
      Out.push_back(T);
      continue;
    }
    if (!rethrows(Child, Handler, Out))
      return false;
  }
  return true;
}

std::optional<Lowering> StatementLowerer::tryStatement(const CXXTryStmt *Try,
                                                       const Expr *TheCall,
                                                       std::string &Why) {
  start(nullptr, TheCall);
  auto Fail = [&](StringRef Reason) { return refuse(Why, Reason); };
  DynTypedNodeList Parents = X.Ctx.getParents(*Try);
  if (Parents.empty() || !Parents[0].get<Stmt>())
    return Fail("it is a function-try-block");
  std::string K = std::to_string(X.lineOf(Try));
  std::string Exception = "vinyl_exception_" + K,
              Index = "vinyl_handler_" + K;
  std::optional<LoweredPiece> Whole =
      source(Try->getBeginLoc(), tokenEnd(Try->getEndLoc()));
  std::optional<LoweredPiece> Head =
      source(Try->getBeginLoc(), Try->getHandler(0)->getBeginLoc());
  if (!Whole || !Head)
    return Fail("part of it is written by a macro");
  Lowering L;
  L.Whole = Whole->Source;
  auto Text = [&](const std::string &T) { L.Pieces.push_back(text(T)); };
  Text(fmt::format("{{ [[maybe_unused]] std::exception_ptr {}; "
                   "[[maybe_unused]] int {} = 0; ",
                   Exception, Index));
  L.Pieces.push_back(*Head);
  Pieces After; // The moved bodies.
  bool Moved = false;
  bool Jumps = endsInJump(Try->getTryBlock());
  unsigned LastMoved = 0;
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
    const Stmt *Body = Try->getHandler(I)->getHandlerBlock();
    if (containsCandidate(Body))
      LastMoved = I;
    else
      Jumps = Jumps && endsInJump(Body);
  }
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
    const CXXCatchStmt *H = Try->getHandler(I);
    // Up to the next handler, or the end: what separates them stays.
    SourceLocation Next = I + 1 < Try->getNumHandlers()
                              ? Try->getHandler(I + 1)->getBeginLoc()
                              : tokenEnd(Try->getEndLoc());
    const auto *Body = dyn_cast<CompoundStmt>(H->getHandlerBlock());
    if (!Body)
      return Fail("a handler has no body");
    if (!containsCandidate(Body)) {
      std::optional<LoweredPiece> AsWritten = source(H->getBeginLoc(), Next);
      if (!AsWritten)
        return Fail("part of it is written by a macro");
      L.Pieces.push_back(*AsWritten);
      continue;
    }
    Moved = true;
    const VarDecl *VD = H->getExceptionDecl();
    std::optional<LoweredPiece> Decl =
        VD ? source(VD->getBeginLoc(), tokenEnd(VD->getEndLoc()))
           : source(H->getBeginLoc().getLocWithOffset(0),
                    H->getBeginLoc()); // empty: `...` is written below
    std::optional<LoweredPiece> Gap = source(tokenEnd(Body->getEndLoc()), Next);
    if (!Decl || !Gap)
      return Fail("part of it is written by a macro");
    // The handler keeps the exception.
    Text("catch (");
    if (VD)
      L.Pieces.push_back(*Decl);
    else
      Text("...");
    Text(fmt::format(") {{ {} = std::current_exception(); {} = {}; }}",
                     Exception, Index, I + 1));
    L.Pieces.push_back(*Gap);
    // Its body, after the try statement.
    LoweredPiece Open;
    Open.Text = I == LastMoved && Jumps
                    ? (After.empty() ? " {" : " else {")
                    : fmt::format(" {}if ({} == {}) {{",
                                  After.empty() ? "" : "else ", Index, I + 1);
    After.push_back(Open);
    if (VD && VD->getIdentifier()) {
      // The type as written is the declaration without its name.
      SourceLocation Name = VD->getLocation();
      std::optional<LoweredPiece> TypeHead = source(VD->getBeginLoc(), Name),
                                  TypeTail = source(tokenEnd(Name),
                                                    tokenEnd(VD->getEndLoc()));
      if (!TypeHead || !TypeTail)
        return Fail("part of it is written by a macro");
      LoweredPiece T;
      T.Text = " ";
      After.push_back(T);
      After.push_back(*Decl);
      T.Text = " = *vinyl::caught<";
      After.push_back(T);
      After.push_back(*TypeHead);
      After.push_back(*TypeTail);
      T.Text = fmt::format(">({});", Exception);
      After.push_back(T);
    }
    SmallVector<const CXXThrowExpr *, 2> Rethrows;
    if (!rethrows(Body, H, Rethrows))
      return Fail("a `throw;` in it is written by a macro");
    SourceLocation At = Body->getLBracLoc().getLocWithOffset(1);
    for (const CXXThrowExpr *T : Rethrows) {
      std::optional<LoweredPiece> Before = source(At, T->getBeginLoc());
      if (!Before)
        return Fail("part of it is written by a macro");
      After.push_back(*Before);
      LoweredPiece R;
      R.Text = fmt::format("std::rethrow_exception({})", Exception);
      After.push_back(R);
      At = tokenEnd(T->getEndLoc());
    }
    std::optional<LoweredPiece> Rest = source(At, Body->getRBracLoc());
    if (!Rest)
      return Fail("part of it is written by a macro");
    After.push_back(*Rest);
    LoweredPiece Close;
    Close.Text = "}";
    After.push_back(Close);
  }
  if (!Moved)
    return Fail("no handler calls a function that may await");
  L.Pieces.insert(L.Pieces.end(), After.begin(), After.end());
  Text(" }");
  return L;
}

} // namespace vinyl::extract
