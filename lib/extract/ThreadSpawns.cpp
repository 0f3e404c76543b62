//===- ThreadSpawns.cpp - Where a spawn-rule thread is started ------------===//
//
// See ThreadSpawns.h.
//
//===----------------------------------------------------------------------===//
#include "ThreadSpawns.h"

#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

/// `std::bind(f, a)` or `std::bind_front(f, a)`, called in the std
/// namespace, as \p E.
const CallExpr *bindCall(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreImplicit());
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || !FD->isInStdNamespace() ||
      Call->getNumArgs() == 0)
    return nullptr;
  return FD->getName() == "bind" || FD->getName() == "bind_front" ? Call
                                                                  : nullptr;
}

/// `std::placeholders::_1` and its kin.
bool isPlaceholder(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreImplicit());
  const auto *NS =
      Ref ? dyn_cast<NamespaceDecl>(
                Ref->getDecl()->getDeclContext()->getRedeclContext())
          : nullptr;
  return NS && NS->getIdentifier() && NS->getName() == "placeholders";
}

} // namespace

/// `T(f, a)` or `T{f, a}`: the construction of a temporary and its type as
/// written.
bool threadTemporary(const Expr *E, const CXXConstructExpr *&Construct,
                     TypeLoc &Type) {
  if (const auto *T = dyn_cast<CXXTemporaryObjectExpr>(E)) {
    Construct = T;
    Type = T->getTypeSourceInfo()->getTypeLoc();
  } else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E)) {
    Construct = dyn_cast<CXXConstructExpr>(F->getSubExpr()->IgnoreImplicit());
    Type = F->getTypeInfoAsWritten()->getTypeLoc();
  }
  return Construct != nullptr;
}

std::string handleMembers(const SpawnRule &Rule) {
  std::string Members = Rule.Join + "()";
  for (const std::string &M : Rule.HandleMembers)
    Members += ", " + M + "()";
  return Members;
}

std::string ThreadSpawns::group(SourceLocation Loc, StringRef Name) const {
  Location L = X.location(Loc);
  return L.File + ":" + std::to_string(L.Line) + ":" +
         std::to_string(L.Column) + " " + Name.str();
}

const SpawnRule *ThreadSpawns::threadRule(QualType Type) const {
  const CXXRecordDecl *Class = Type->getAsCXXRecordDecl();
  return Class ? X.Cfg.findSpawn(Class->getQualifiedNameAsString()) : nullptr;
}

bool ThreadSpawns::spawnedCallable(const CXXConstructExpr *Construct,
                                   const SpawnRule &Rule, CallFact &C) {
  if (!Construct || Construct->getNumArgs() == 0 ||
      !spawnedCallable(Construct->getArg(0), Construct->getNumArgs() - 1, Rule,
                       C))
    return false;
  SourceRange Braces = Construct->getParenOrBraceRange();
  if (Construct->isListInitialization() && Braces.isValid()) {
    spawnEdit(C, SourceRange(Braces.getBegin()), "(");
    spawnEdit(C, SourceRange(Braces.getEnd()), ")");
  }
  return true;
}

bool ThreadSpawns::spawnedCallable(const Expr *Callable, unsigned MoreArgs,
                                   const SpawnRule &Rule, CallFact &C) {
  if (const CallExpr *Bind = bindCall(Callable))
    return boundCallable(Bind, MoreArgs, Rule, C);
  Callable = withoutAddressOf(Callable->IgnoreImplicit());
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Callable)) {
    const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl());
    if (!FD || !X.isOurs(FD))
      return false;
    X.CalleeRefs.insert(Ref);
    C.Callee = X.id(FD);
    C.CalleeName = X.fileAnchor(SourceRange(Ref->getLocation()), C.Problem);
  } else if (const auto *L = dyn_cast<LambdaExpr>(Callable)) {
    X.SpawnedCallables.insert(L);
    C.Callee = X.id(L->getCallOperator());
  } else if (const CXXMethodDecl *Op = spawnedObject(Callable)) {
    X.SpawnedCallables.insert(Callable);
    C.Callee = X.id(Op);
  } else {
    return false;
  }
  C.Kind = CallKind::Spawn;
  C.SpawnWith = Rule.Replacement;
  return true;
}

/// `worker(*this)`, a temporary of a class of the paths with one call
/// operator, not a template: its operator, which the thread runs on its own
/// copy, as a spawn does.
const CXXMethodDecl *ThreadSpawns::spawnedObject(const Expr *E) const {
  if (!isa<CXXConstructExpr, CXXFunctionalCastExpr>(E))
    return nullptr;
  const CXXRecordDecl *Class = E->getType()->getAsCXXRecordDecl();
  if (!Class || Class->isLambda() || !Class->hasDefinition())
    return nullptr;
  auto Ops =
      Class->lookup(X.Ctx.DeclarationNames.getCXXOperatorName(OO_Call));
  if (std::distance(Ops.begin(), Ops.end()) != 1)
    return nullptr;
  const auto *Op = dyn_cast<CXXMethodDecl>(Ops.front());
  return Op && !Op->isStatic() && X.isOurs(Op) ? Op : nullptr;
}

/// `std::thread{std::bind(&f, a, b)}` runs `f(a', b')` on copies a', b'
/// of the arguments, as `vinyl::spawn(&f', a, b)` does: it passes its
/// copies as rvalues, or as lvalues where f takes one by non-const lvalue
/// reference, as std::bind does (the copy lives in the task);
/// std::bind_front passes them as rvalues, and after them the thread's own
/// arguments. So a bind converts when what it does at the call is only
/// that: no placeholder and no nested bind (evaluated at the call), and no
/// argument of the thread after it (std::bind drops them).
bool ThreadSpawns::boundCallable(const CallExpr *Bind, unsigned MoreArgs,
                                 const SpawnRule &Rule, CallFact &C) {
  bool Front = Bind->getDirectCallee()->getName() == "bind_front";
  if (!Front) {
    if (MoreArgs)
      return false;
    for (unsigned I = 1; I < Bind->getNumArgs(); ++I)
      if (bindCall(Bind->getArg(I)) || isPlaceholder(Bind->getArg(I)))
        return false;
  }
  if (!spawnedCallable(Bind->getArg(0), 0, Rule, C))
    return false;
  // `std::bind(&f, a, b)` -> `&f, a, b`.
  spawnRemove(C, CharSourceRange::getCharRange(Bind->getBeginLoc(),
                                               Bind->getArg(0)->getBeginLoc()));
  spawnEdit(C, SourceRange(Bind->getRParenLoc()), "");
  return true;
}

void ThreadSpawns::keepThread(CallFact &C, StringRef Holder, StringRef Stays,
                              StringRef Why) {
  C.Kind = CallKind::AddressTaken;
  C.SpawnEdits.clear();
  C.SpawnWith.clear();
  C.Group.clear();
  C.Problem = ("it runs in a thread kept in '" + Holder + "', which stays " +
               Stays + ": " + Why)
                  .str();
}

void ThreadSpawns::spawnEdit(CallFact &C, SourceRange Tokens,
                             std::string Text) {
  Anchor Where = X.fileAnchor(Tokens, C.Problem);
  if (C.Problem.empty())
    C.SpawnEdits.push_back({std::move(Where), std::move(Text)});
}

void ThreadSpawns::spawnInsert(CallFact &C, SourceLocation At,
                               std::string Text) {
  if (!At.isFileID() || !X.isWritableLoc(At)) {
    if (C.Problem.empty())
      C.Problem = "it is written inside a macro expansion";
    return;
  }
  C.SpawnEdits.push_back(
      {X.anchor(CharSourceRange::getCharRange(At, At)), std::move(Text)});
}

void ThreadSpawns::spawnRemove(CallFact &C, CharSourceRange Chars) {
  if (!Chars.getBegin().isFileID() || !Chars.getEnd().isFileID() ||
      !X.isWritableLoc(Chars.getBegin())) {
    if (C.Problem.empty())
      C.Problem = "it is written inside a macro expansion";
    return;
  }
  C.SpawnEdits.push_back({X.anchor(Chars), ""});
}

} // namespace vinyl::extract
