//===- ExtractContext.cpp - What every extraction facet shares ------------===//
//
// Where things are (paths, anchors, ids), the facts of a function as its
// declaration states them, and recordCall, the one place every call fact
// passes through on its way into the facts.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "clang/AST/ASTLambda.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

ExtractContext::ExtractContext(ASTContext &Ctx, const ExtractOptions &Opts,
                               Facts &Out)
    : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()),
      Cfg(*Opts.Cfg), Writable(*Opts.Writable), Out(Out) {}

Facet::~Facet() = default;

bool ExtractContext::isWritableLoc(SourceLocation Loc) {
  if (Loc.isInvalid())
    return false;
  FileID FID = SM.getFileID(SM.getExpansionLoc(Loc));
  auto It = WritableFiles.find(FID);
  if (It != WritableFiles.end())
    return !It->second.empty();
  std::string Path;
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
    Path = writablePath(SM.getFileManager(), Writable, FE->getName());
  return !WritableFiles.try_emplace(FID, std::move(Path)).first->second.empty();
}

StringRef ExtractContext::pathOf(SourceLocation FileLoc) {
  isWritableLoc(FileLoc);
  return WritableFiles[SM.getFileID(FileLoc)];
}

bool ExtractContext::isOurs(const FunctionDecl *FD) {
  for (const FunctionDecl *R : FD->redecls())
    if (isWritableLoc(R->getLocation()))
      return true;
  return false;
}

std::string ExtractContext::id(const FunctionDecl *FD) {
  auto [It, New] = Ids.try_emplace(FD);
  if (New)
    It->second = functionId(*FD);
  return It->second;
}

SourceLocation ExtractContext::bodyEnd(const Stmt *Body) {
  // A block ends at its '}', an empty statement at its own ';'.
  if (isa<CompoundStmt, NullStmt>(Body))
    return Lexer::getLocForEndOfToken(Body->getEndLoc(), 0, SM, LO);
  if (isa<Expr, ReturnStmt, BreakStmt, ContinueStmt>(Body))
    return Lexer::findLocationAfterToken(Body->getEndLoc(), tok::semi, SM, LO,
                                         false);
  return SourceLocation();
}

unsigned ExtractContext::lineOf(const Stmt *S) {
  return SM.getPresumedLineNumber(SM.getFileLoc(S->getBeginLoc()));
}

unsigned ExtractContext::lineOf(const Decl *D) {
  return SM.getPresumedLineNumber(SM.getFileLoc(D->getLocation()));
}

Anchor ExtractContext::anchor(CharSourceRange R) {
  Anchor A;
  A.File = pathOf(R.getBegin()).str();
  A.Offset = SM.getFileOffset(R.getBegin());
  A.Length = SM.getFileOffset(R.getEnd()) - A.Offset;
  return A;
}

Anchor ExtractContext::fileAnchor(SourceRange R, std::string &Problem) {
  CharSourceRange C =
      Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), SM, LO);
  if (C.isInvalid() || !isWritableLoc(C.getBegin())) {
    Problem = "it is written inside a macro expansion";
    return {};
  }
  return anchor(C);
}

Anchor ExtractContext::nameAnchor(const CallExpr *CE, std::string &Problem) {
  const Expr *Callee = CE->getCallee()->IgnoreImplicit();
  SourceLocation NameLoc;
  if (const auto *M = dyn_cast<MemberExpr>(Callee))
    NameLoc = M->getMemberLoc();
  else if (const auto *D = dyn_cast<DeclRefExpr>(Callee))
    NameLoc = D->getLocation();
  if (NameLoc.isInvalid())
    return {};
  return fileAnchor(SourceRange(NameLoc, NameLoc), Problem);
}

bool ExtractContext::inCoroutine() const {
  const FunctionDecl *FD = currentFunction();
  return FD && FD->getBody() && isa<CoroutineBodyStmt>(FD->getBody());
}

/// Whether a declaration of \p FD other than in the main file is under the
/// paths: a header the project's other code includes.
static bool declaredInHeader(ExtractContext &X, const FunctionDecl *FD) {
  for (const FunctionDecl *R : FD->redecls()) {
    SourceLocation Loc = X.SM.getExpansionLoc(R->getLocation());
    if (X.SM.getFileID(Loc) != X.SM.getMainFileID() && X.isWritableLoc(Loc))
      return true;
  }
  return false;
}

FunctionFact &ExtractContext::fact(const FunctionDecl *FD) {
  std::string Id = id(FD);
  FunctionFact &F = Out.Functions[Id];
  if (!F.Id.empty())
    return F;
  const FunctionDecl *Canon = FD->getCanonicalDecl();
  F.Id = Id;
  F.Name = Canon->getQualifiedNameAsString();
  F.Loc = location(Canon->getLocation());
  F.IsMain = Canon->isMain();
  F.IsConstructor = isa<CXXConstructorDecl>(Canon);
  F.IsDestructor = isa<CXXDestructorDecl>(Canon);
  // Only what the code says: lambdas are implicitly constexpr.
  F.IsConstexpr = !isLambdaCallOperator(Canon) &&
                  (Canon->isConstexprSpecified() || Canon->isConsteval());
  F.IsConsteval = Canon->isConsteval();
  F.IsVariadic = Canon->isVariadic();
  // Only a written noexcept: an implicit member's specification may not be
  // computed yet (asking would trip an assertion in Clang).
  if (const auto *Proto = Canon->getType()->getAs<FunctionProtoType>();
      Proto && !Canon->isImplicit() && !isa<CXXDestructorDecl>(Canon))
    F.IsNoexcept = llvm::is_contained(
        {EST_BasicNoexcept, EST_NoexceptTrue, EST_DynamicNone},
        Proto->getExceptionSpecType());
  F.IsConversion = isa<CXXConversionDecl>(Canon);
  F.IsLambda = isLambdaCallOperator(Canon);
  F.IsTwin = isTwinTag(*Canon);
  if (Canon->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
    if (const FunctionTemplateDecl *Primary = Canon->getPrimaryTemplate();
        Primary && isOurs(Primary->getTemplatedDecl()))
      F.SpecializationOf = id(Primary->getTemplatedDecl());
  if (const auto *M = dyn_cast<CXXMethodDecl>(Canon)) {
    F.IsVirtual = M->isVirtual();
    for (const CXXMethodDecl *O : M->overridden_methods()) {
      if (isOurs(O))
        F.Overrides.push_back(id(O));
      else if (F.OverridesOutside.empty())
        F.OverridesOutside = O->getQualifiedNameAsString();
    }
  }
  F.IsExternC = Canon->isExternC();
  F.IsOperator = Canon->isOverloadedOperator() ||
                 isa<CXXConversionDecl>(Canon) || Canon->getLiteralIdentifier();
  for (const FunctionDecl *R : Canon->redecls())
    if (!isWritableLoc(R->getLocation()))
      F.DeclaredOutside = true;
  // Private members are reachable only from their class, whose calls the
  // solver sees; everything else a header declares is API, but for a
  // lambda, which no other code can name.
  F.ExternalApi = !F.IsLambda && Canon->isExternallyVisible() &&
                  Canon->getAccess() != AS_private &&
                  declaredInHeader(*this, Canon);
  if (const NamedDecl *Taken = asyncNameTaken(*Canon)) {
    F.AsyncNameTaken = Taken->getQualifiedNameAsString();
    F.AsyncNameTakenAt = location(Taken->getLocation());
  }
  return F;
}

const NamedDecl *ExtractContext::asyncNameTaken(const FunctionDecl &FD) {
  if (!FD.getIdentifier() || FD.isOverloadedOperator())
    return nullptr;
  auto Ident = Ctx.Idents.find(Cfg.asyncName(FD.getName()));
  if (Ident == Ctx.Idents.end())
    return nullptr;
  DeclarationName Name(Ident->getValue());
  // Its own coroutine, or its split coroutine half, from an earlier run.
  auto Own = [&](const NamedDecl *ND) {
    const FunctionDecl *Sibling = ND->getAsFunction();
    if (!Sibling || !isTask(Sibling->getReturnType()))
      return false;
    unsigned Skip = isSlowTag(*Sibling) || isTwinTag(*Sibling) ? 1 : 0;
    return sameParameters(*Sibling, Skip, FD, 0);
  };
  const NamedDecl *Taken = nullptr;
  auto Look = [&](const DeclContext *DC) {
    for (const NamedDecl *ND : DC->lookup(Name))
      if (!Taken && !Own(ND))
        Taken = cast<NamedDecl>(ND->getCanonicalDecl());
    return !Taken;
  };
  const DeclContext *DC = FD.getDeclContext()->getRedeclContext();
  if (Look(DC))
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC);
        RD && RD->hasDefinition())
      RD->forallBases([&](const CXXRecordDecl *Base) { return Look(Base); });
  return Taken;
}

const FunctionDecl *ExtractContext::sibling(
    const FunctionDecl &Of, StringRef Name, unsigned Skip,
    unsigned SiblingSkip, function_ref<bool(const FunctionDecl &)> Accept) {
  // Every call of the standard library asks: a name no one wrote has no
  // declaration, and is not added to the identifier table.
  auto Ident = Ctx.Idents.find(Name);
  if (Ident == Ctx.Idents.end() || Of.getNumParams() < Skip)
    return nullptr;
  const DeclContext *DC = Of.getDeclContext()->getRedeclContext();
  for (const NamedDecl *ND : DC->lookup(DeclarationName(Ident->getValue())))
    if (const FunctionDecl *FD = ND->getAsFunction();
        FD && Accept(*FD) && sameParameters(*FD, SiblingSkip, Of, Skip))
      return FD;
  return nullptr;
}

bool ExtractContext::sameParameters(const FunctionDecl &A, unsigned SkipA,
                                    const FunctionDecl &B, unsigned SkipB) {
  if (A.getNumParams() + SkipB != B.getNumParams() + SkipA)
    return false;
  for (unsigned I = SkipA; I < A.getNumParams(); ++I)
    if (!Ctx.hasSameType(A.getParamDecl(I)->getType(),
                         B.getParamDecl(I - SkipA + SkipB)->getType()))
      return false;
  return true;
}

const FunctionDecl *ExtractContext::taskSibling(const FunctionDecl &Of,
                                                StringRef Name, unsigned Skip) {
  return sibling(Of, Name, Skip, 0, [&](const FunctionDecl &FD) {
    return isTask(FD.getReturnType());
  });
}

const FunctionDecl *ExtractContext::slowSibling(const FunctionDecl &Of,
                                                StringRef Name, unsigned Skip) {
  return sibling(Of, Name, Skip, 1,
                 [](const FunctionDecl &FD) { return isSlowTag(FD); });
}

size_t ExtractContext::recordCall(const Expr *E, CallFact C) {
  if (const FunctionDecl *Caller = currentFunction())
    C.Caller = id(Caller);
  C.Loc = location(E->getExprLoc());
  std::string Problem;
  C.Call = fileAnchor(E->getSourceRange(), Problem);
  if (C.Problem.empty())
    C.Problem = Problem;
  // A function stored as a callback type is not awaited where it is named
  // (`std::function<...> cb = poll` as a default argument).
  if (!ForbiddenWhy.empty() && C.Problem.empty() &&
      (C.Kind != CallKind::AddressTaken || C.CallbackType.empty()))
    C.Problem = ForbiddenWhy.back();
  for (Facet *F : Facets)
    F->annotate(*E, C);
  C.Awaited = C.Awaited || Awaited.contains(E);
  C.BlockedOn = BlockedOn.contains(E);
  C.Dependent = InInstantiation;
  Out.Calls.push_back(std::move(C));
  return Out.Calls.size() - 1;
}

size_t ExtractContext::recordUse(SourceLocation Loc, CallFact C) {
  if (const FunctionDecl *Caller = currentFunction())
    C.Caller = id(Caller);
  C.Loc = location(Loc);
  C.Dependent = InInstantiation;
  Out.Calls.push_back(std::move(C));
  return Out.Calls.size() - 1;
}

bool isCalledObject(const Expr *E, ASTContext &Ctx) {
  const Expr *Child;
  const Stmt *P = skipImplicitParents(E, Ctx, Child);
  if (const auto *Call = dyn_cast_or_null<CXXOperatorCallExpr>(P))
    return Call->getOperator() == OO_Call && Call->getArg(0) == Child;
  // In a template, `next()` on a closure of a dependent type.
  if (const auto *Call = dyn_cast_or_null<CallExpr>(P))
    return Call->isTypeDependent() && Call->getCallee() == Child;
  return false;
}

const Expr *withoutAddressOf(const Expr *E) {
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    return U->getSubExpr()->IgnoreParenImpCasts();
  return E;
}

void forEachInstantiation(const FunctionDecl *Pattern,
                          function_ref<void(const FunctionDecl *)> Body) {
  auto Specialisations = [&](const FunctionTemplateDecl *T) {
    for (const FunctionDecl *Spec : T->specializations())
      if (Spec->getTemplateSpecializationKind() == TSK_ImplicitInstantiation &&
          Spec->doesThisDeclarationHaveABody())
        Body(Spec);
  };
  const FunctionTemplateDecl *T = Pattern->getDescribedFunctionTemplate();
  if (T)
    Specialisations(T);
  const auto *RD = dyn_cast<CXXRecordDecl>(Pattern->getDeclContext());
  const ClassTemplateDecl *Class =
      RD ? RD->getDescribedClassTemplate() : nullptr;
  if (!Class)
    return;
  for (const ClassTemplateSpecializationDecl *Spec : Class->specializations()) {
    if (Spec->getSpecializationKind() == TSK_ExplicitSpecialization)
      continue;
    for (const Decl *D : Spec->decls()) {
      if (T) {
        const auto *Member = dyn_cast<FunctionTemplateDecl>(D);
        const FunctionTemplateDecl *From =
            Member ? Member->getInstantiatedFromMemberTemplate() : nullptr;
        if (From && From->getCanonicalDecl() == T->getCanonicalDecl())
          Specialisations(Member);
        continue;
      }
      const auto *M = dyn_cast<CXXMethodDecl>(D);
      const FunctionDecl *From =
          M ? M->getInstantiatedFromMemberFunction() : nullptr;
      const FunctionDecl *Def = nullptr;
      if (From && From->getCanonicalDecl() == Pattern->getCanonicalDecl() &&
          M->hasBody(Def))
        Body(Def);
    }
  }
}

} // namespace vinyl::extract
