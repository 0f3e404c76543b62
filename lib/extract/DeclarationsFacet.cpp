//===- DeclarationsFacet.cpp - Functions and where their edits go ---------===//
//
// For every function declared under the paths (and every lambda), each
// declaration's edit anchors: the return type that becomes task<T> (with a
// deduced type spelled out), the name a facade renames, the whole
// declaration a facade copies, the linkage a coroutine cannot keep, the
// arguments that forward the parameters; and in the definition, every
// `return` keyword, whether the body declares a variable and, for `main`,
// whether it may fall off its end. Also the using-declarations that name
// one of them.
//
//===----------------------------------------------------------------------===//
#include "DeclarationText.h"
#include "ExtractContext.h"

#include "vinyl-asyncify/facts/Format.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"

#include <fmt/ranges.h>
#include <set>

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

/// Whether the end of \p S may be reached: false only where every path
/// ends in a return. Conservative (a last `exit(1);` or endless loop counts
/// as reachable), since a `co_return 0;` after one costs nothing.
bool mayFallOffEnd(const Stmt *S) {
  if (const auto *C = dyn_cast_or_null<CompoundStmt>(S))
    return C->body_empty() || mayFallOffEnd(C->body_back());
  if (const auto *If = dyn_cast_or_null<IfStmt>(S))
    return mayFallOffEnd(If->getThen()) || mayFallOffEnd(If->getElse());
  return !isa_and_nonnull<ReturnStmt, CoreturnStmt>(S);
}

class DeclarationsFacet : public Facet {
public:
  using Facet::Facet;

  void functionDecl(const FunctionDecl &FD) override { recordDecl(&FD); }

  /// `using detail::query;`: the name, for the twin's to go beside it.
  void usingDecl(const UsingDecl &UD) override {
    CharSourceRange Range = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(UD.getQualifierLoc().getBeginLoc(),
                                       UD.getNameInfo().getEndLoc()),
        X.SM, X.LO);
    if (Range.isInvalid() || !X.isWritableLoc(Range.getBegin()))
      return;
    for (const UsingShadowDecl *Shadow : UD.shadows()) {
      const NamedDecl *Target = Shadow->getTargetDecl();
      const auto *FD = dyn_cast<FunctionDecl>(Target);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(Target))
        FD = FT->getTemplatedDecl();
      if (FD && X.isOurs(FD))
        X.fact(FD).Usings.push_back(X.anchor(Range));
    }
  }

  void varDecl(const VarDecl &VD) override {
    if (const FunctionDecl *FD = X.currentFunction();
        FD && VD.isLocalVarDecl() && !isa<ParmVarDecl>(VD)) {
      FunctionFact &F = X.fact(FD);
      F.HasLocals = true;
      if (VD.isStaticLocal() && !F.StaticLocal.valid())
        F.StaticLocal = X.location(VD.getLocation());
    }
  }

  void returnStmt(const ReturnStmt &RS) override {
    const FunctionDecl *FD = X.currentFunction();
    if (!FD)
      return;
    FunctionFact &F = X.fact(FD);
    SourceLocation Loc = RS.getReturnLoc();
    if (!Loc.isFileID()) {
      F.Problem = "a 'return' in it is written by a macro";
      return;
    }
    F.Returns.push_back(
        X.anchor(CharSourceRange::getCharRange(Loc, Loc.getLocWithOffset(6))));
  }

  void lambda(const LambdaExpr &E) override { recordLambda(&E); }

  /// The deduced result type of a lambda in an instantiation is what the
  /// pattern's must spell, if all instantiations agree.
  void instantiatedLambda(const LambdaExpr &E,
                          const CXXMethodDecl &Pattern) override {
    FunctionFact &F = X.fact(&Pattern);
    if (F.Decls.empty() || !DependentResult.contains(&Pattern))
      return;
    DeclFact &D = F.Decls.back();
    std::string Problem;
    std::string Type = resultType(E.getCallOperator(), {}, Problem);
    if (!Problem.empty())
      D.Problem = Problem;
    else if (D.Result.empty())
      D.Result = Type, D.Problem.clear();
    else if (D.Result != Type)
      D.Problem = "its result type differs between instantiations ('" +
                  D.Result + "' and '" + Type + "')";
  }

private:
  /// The return type as written, widened over leading cv-qualifiers that
  /// getReturnTypeSourceRange() leaves out.
  CharSourceRange returnTypeRange(const FunctionDecl *FD) {
    SourceRange R = FD->getReturnTypeSourceRange();
    // It gives up on trailing return types, which follow the name.
    if (R.isInvalid())
      if (FunctionTypeLoc FTL = FD->getFunctionTypeLoc())
        R = FTL.getReturnLoc().getSourceRange();
    if (R.isInvalid())
      return {};
    CharSourceRange C =
        Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), X.SM, X.LO);
    if (C.isInvalid())
      return C;
    SourceLocation Begin = C.getBegin();
    while (std::optional<Token> Prev =
               Lexer::findPreviousToken(Begin, X.SM, X.LO, false)) {
      if (!Prev->is(tok::raw_identifier))
        break;
      StringRef Word = Prev->getRawIdentifier();
      if (Word != "const" && Word != "volatile")
        break;
      Begin = Prev->getLocation();
    }
    C.setBegin(Begin);
    return C;
  }

  std::string resultType(const FunctionDecl *FD, CharSourceRange Range,
                         std::string &Problem) {
    QualType Declared = FD->getDeclaredReturnType();
    if (!Declared->getContainedDeducedType())
      return Lexer::getSourceText(Range, X.SM, X.LO).str();
    const FunctionDecl *Def = FD->getDefinition();
    QualType Deduced = Def ? Def->getReturnType() : QualType();
    if ((Deduced.isNull() || Deduced->isUndeducedType() ||
         Deduced->isDependentType()) &&
        FD->isTemplated())
      Deduced = deducedByInstantiations(FD);
    if (Deduced.isNull() || Deduced->isUndeducedType() ||
        Deduced->isDependentType()) {
      Problem = UnknownDeducedType.str();
      if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
          M && isLambdaCallOperator(M) && M->isTemplated())
        DependentResult.insert(M);
      return "";
    }
    if (std::string Why = unnameable(Deduced, X.Ctx); !Why.empty()) {
      Problem = fmt::format("{}: {}", UnnameableDeducedType, Why);
      return "";
    }
    PrintingPolicy Policy(X.LO);
    Policy.SuppressScope = false;
    Policy.FullyQualifiedName = true;
    return TypeName::getFullyQualifiedName(Deduced, X.Ctx, Policy,
                                           /*WithGlobalNsPrefix=*/false);
  }

  /// The inactive #if branches of \p Body that hold a call or a return
  /// (what conversion would have changed), by line.
  void recordInactiveCode(FunctionFact &F, const Stmt *Body) {
    for (SourceRange R : X.Skipped) {
      if (!X.SM.isBeforeInTranslationUnit(Body->getBeginLoc(), R.getBegin()) ||
          !X.SM.isBeforeInTranslationUnit(R.getEnd(), Body->getEndLoc()))
        continue;
      bool Invalid = false;
      StringRef Text = Lexer::getSourceText(CharSourceRange::getCharRange(R),
                                            X.SM, X.LO, &Invalid);
      if (Invalid || (!Text.contains("return") && !Text.contains('(')))
        continue;
      unsigned First = X.SM.getSpellingLineNumber(R.getBegin()),
               Last = X.SM.getSpellingLineNumber(R.getEnd());
      if (!F.InactiveCode.valid())
        F.InactiveCode = X.location(R.getBegin());
      for (unsigned Line = First; Line <= Last; ++Line)
        F.InactiveLines.push_back(Line);
    }
    F.SometimesInactive |= !F.InactiveLines.empty();
    llvm::sort(F.InactiveLines);
    F.InactiveLines.erase(
        std::unique(F.InactiveLines.begin(), F.InactiveLines.end()),
        F.InactiveLines.end());
  }

  /// The return type every instantiation of the template \p FD made in
  /// this unit deduced (`template <class... A> auto execute(A &&...)`
  /// returning `result`), or null if none did or they differ. Another
  /// unit that deduces another type spells it otherwise, which the
  /// rewrite phase refuses as conflicting edits.
  QualType deducedByInstantiations(const FunctionDecl *FD) {
    QualType Found;
    bool Differ = false;
    auto See = [&](const FunctionDecl *Spec) {
      QualType T = Spec->getReturnType();
      if (T->isUndeducedType() || T->isDependentType())
        return;
      if (Found.isNull())
        Found = T;
      else if (!X.Ctx.hasSameType(Found, T))
        Differ = true;
    };
    forEachInstantiation(FD, See);
    return Differ ? QualType() : Found;
  }

  /// The facade's signature is the definition's text; a parameter the
  /// definition leaves unnamed gets a name there (`int vinyl_arg2`), at the
  /// place Clang gives it, where the declarator's name would go. False if
  /// one cannot be placed (a macro writes it, or an unnamed pack).
  bool nameParameters(const FunctionDecl *FD, CharSourceRange Sig,
                      std::string &Signature) {
    unsigned Begin = X.SM.getFileOffset(Sig.getBegin());
    FileID File = X.SM.getFileID(Sig.getBegin());
    std::vector<std::pair<unsigned, std::string>> Inserts;
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      const ParmVarDecl *P = FD->getParamDecl(I);
      if (!P->getName().empty())
        continue;
      SourceLocation L = P->getLocation();
      if (!L.isFileID() || X.SM.getFileID(L) != File ||
          X.SM.getFileOffset(L) < Begin ||
          X.SM.getFileOffset(L) - Begin > Signature.size())
        return false;
      Inserts.push_back({X.SM.getFileOffset(L) - Begin, parameterName(FD, I)});
    }
    for (auto It = Inserts.rbegin(); It != Inserts.rend(); ++It) {
      auto [Offset, Name] = *It;
      bool Glued = Offset > 0 && (isalnum(Signature[Offset - 1]) ||
                                  Signature[Offset - 1] == '_');
      Signature.insert(Offset, (Glued ? " " : "") + Name);
    }
    return true;
  }

  static std::string parameterName(const FunctionDecl *FD, unsigned I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    return P->getName().empty() ? "vinyl_arg" + std::to_string(I + 1)
                                : P->getName().str();
  }

  std::string forwardArgs(const FunctionDecl *FD) {
    std::string Args;
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      const ParmVarDecl *P = FD->getParamDecl(I);
      if (!Args.empty())
        Args += ", ";
      QualType T = P->getType();
      // A pack `A... a` is handed on as `a...`, its pattern decides how.
      if (const auto *Pack = T->getAs<PackExpansionType>())
        T = Pack->getPattern();
      std::string Pass = parameterName(FD, I);
      // A forwarding reference `S &&s` keeps what the caller passed: an
      // lvalue stays an lvalue.
      QualType Pointee =
          T->isRValueReferenceType() ? T->getPointeeType() : QualType();
      if (!Pointee.isNull() && !Pointee.hasQualifiers() &&
          Pointee->getAs<TemplateTypeParmType>())
        Pass = "std::forward<" +
               Pointee.getAsString(X.Ctx.getPrintingPolicy()) + ">(" + Pass +
               ")";
      else if (T->isRValueReferenceType() ||
               (!T->isReferenceType() && T->isRecordType() &&
                !T.isTriviallyCopyableType(X.Ctx)))
        Pass = "std::move(" + Pass + ")";
      if (P->isParameterPack())
        Pass += "...";
      Args += Pass;
    }
    return Args;
  }

  /// A facade of a function template calls its twin with the template
  /// arguments the call cannot deduce: without them, the twin's name may
  /// resolve to another overload. The prefix of the parameter list up to
  /// the last parameter no function parameter's type names is passed.
  std::string explicitTemplateArgs(const FunctionDecl *FD,
                                   std::string &Problem) {
    const FunctionTemplateDecl *T = FD->getDescribedFunctionTemplate();
    if (!T)
      return "";
    const TemplateParameterList *Params = T->getTemplateParameters();
    TemplateParamsUsed Used;
    for (const ParmVarDecl *P : FD->parameters())
      Used.TraverseType(P->getType());
    size_t Needed = 0;
    for (size_t I = 0; I < Params->size(); ++I) {
      const NamedDecl *P = Params->getParam(I);
      if (!P->isImplicit() && !Used.uses(P))
        Needed = I + 1;
    }
    std::vector<std::string> Args;
    for (size_t I = 0; I < Needed; ++I) {
      const NamedDecl *P = Params->getParam(I);
      if (P->getName().empty()) {
        Problem = "a template parameter it cannot deduce has no name";
        return "";
      }
      Args.push_back(P->getName().str() + (P->isParameterPack() ? "..." : ""));
    }
    return Args.empty() ? "" : fmt::format("<{}>", fmt::join(Args, ", "));
  }

  /// The template parameters a type names, by depth and index.
  struct TemplateParamsUsed : RecursiveASTVisitor<TemplateParamsUsed> {
    std::set<std::pair<unsigned, unsigned>> Seen;
    bool VisitTemplateTypeParmType(TemplateTypeParmType *T) {
      Seen.insert({T->getDepth(), T->getIndex()});
      return true;
    }
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (const auto *P = dyn_cast<NonTypeTemplateParmDecl>(E->getDecl()))
        Seen.insert({P->getDepth(), P->getIndex()});
      return true;
    }
    bool VisitTemplateSpecializationType(TemplateSpecializationType *T) {
      if (const auto *P = dyn_cast_or_null<TemplateTemplateParmDecl>(
              T->getTemplateName().getAsTemplateDecl()))
        Seen.insert({P->getDepth(), P->getIndex()});
      return true;
    }
    bool uses(const NamedDecl *P) const {
      if (const auto *Type = dyn_cast<TemplateTypeParmDecl>(P))
        return Seen.count({Type->getDepth(), Type->getIndex()});
      if (const auto *Value = dyn_cast<NonTypeTemplateParmDecl>(P))
        return Seen.count({Value->getDepth(), Value->getIndex()});
      if (const auto *Tmpl = dyn_cast<TemplateTemplateParmDecl>(P))
        return Seen.count({Tmpl->getDepth(), Tmpl->getIndex()});
      return true;
    }
  };

  std::string indentOf(SourceLocation Loc) {
    StringRef Buffer = X.SM.getBufferData(X.SM.getFileID(Loc));
    unsigned Offset = X.SM.getFileOffset(Loc);
    size_t LineStart = Buffer.rfind('\n', Offset == 0 ? 0 : Offset - 1);
    LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
    StringRef Line = Buffer.slice(LineStart, Offset);
    return Line.take_while([](char C) { return C == ' ' || C == '\t'; }).str();
  }

  /// A lambda's only declaration is the lambda expression itself. Without
  /// a written return type, "-> task<T>" goes before the body, and "()"
  /// after the captures if there is no parameter list.
  void recordLambda(const LambdaExpr *E) {
    const CXXMethodDecl *Op = E->getCallOperator();
    FunctionFact &F = X.fact(Op);
    F.Writable = F.HasDefinition = true;
    F.IsCoroutine = isa<CoroutineBodyStmt>(Op->getBody());
    if (const FunctionDecl *Outer = X.currentFunction())
      F.Name = "lambda in " + Outer->getQualifiedNameAsString() + "()";
    else
      F.Name = "lambda";
    const CompoundStmt *Body = E->getCompoundStmtBody();
    DeclFact D;
    D.Loc = X.location(E->getBeginLoc());
    D.IsDefinition = true;
    D.FacadeProblem = "it is a lambda";
    D.Indent = indentOf(X.SM.getExpansionLoc(E->getBeginLoc()));
    SourceLocation Open = Body->getLBracLoc();
    if (!Open.isFileID() || !X.isWritableLoc(Open) ||
        !E->getIntroducerRange().getEnd().isFileID()) {
      D.Problem = "it is written by a macro";
    } else if (Op->getTrailingRequiresClause()) {
      D.Problem = "it has a requires-clause";
    } else if (E->hasExplicitResultType()) {
      CharSourceRange RT = returnTypeRange(Op);
      if (RT.isInvalid() || !X.isWritableLoc(RT.getBegin())) {
        D.Problem = "its return type is written by a macro";
      } else {
        D.ReturnType = X.anchor(RT);
        D.Result = resultType(Op, RT, D.Problem);
        D.TrailingReturn = true;
      }
    } else {
      D.InsertReturn = true;
      D.ReturnType = X.anchor(CharSourceRange::getCharRange(Open, Open));
      D.Result = resultType(Op, {}, D.Problem);
      if (!E->hasExplicitParameters()) {
        SourceLocation After =
            E->getIntroducerRange().getEnd().getLocWithOffset(1);
        D.AddParens = X.anchor(CharSourceRange::getCharRange(After, After));
      }
    }
    F.BodyOpen = X.SM.getFileOffset(X.SM.getExpansionLoc(Open)) + 1;
    D.BodyClose = X.SM.getFileOffset(X.SM.getExpansionLoc(Body->getRBracLoc()));
    D.Whole.File = X.pathOf(X.SM.getExpansionLoc(Open)).str();
    F.Decls.push_back(std::move(D));
  }

  void recordDecl(const FunctionDecl *FD) {
    FunctionFact &F = X.fact(FD);
    if (const auto *Body = FD->getBody()) {
      F.HasDefinition = true;
      F.Writable = true;
      F.IsCoroutine = isa<CoroutineBodyStmt>(Body);
    }
    // A declaration that returns the task type (a pure virtual one has no
    // body to tell) was converted already.
    if (X.isTask(FD->getReturnType()))
      F.IsCoroutine = true;
    DeclFact D;
    D.Loc = X.location(FD->getLocation());
    CharSourceRange RT = returnTypeRange(FD);
    if (RT.isInvalid() || !X.isWritableLoc(RT.getBegin())) {
      D.Problem = "its return type is written by a macro";
    } else if (QualType R = FD->getReturnType();
               !R->isReferenceType() && R.isLocalConstQualified()) {
      // task<const T> cannot hold its result, and the const is in the
      // text on either side of the type.
      D.Problem = "it returns a const value ('" +
                  R.getAsString(X.Ctx.getPrintingPolicy()) +
                  "'); drop the const, which only stops callers moving "
                  "from the result";
    } else {
      D.ReturnType = X.anchor(RT);
      D.Result = resultType(FD, RT, D.Problem);
    }
    if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
      D.TrailingReturn = FPT->hasTrailingReturn();
    if (SourceLocation N = FD->getLocation(); N.isFileID())
      D.Name = X.anchor(CharSourceRange::getCharRange(
          N, N.getLocWithOffset(Lexer::MeasureTokenLength(N, X.SM, X.LO))));
    SourceLocation Begin = FD->getBeginLoc();
    if (const FunctionTemplateDecl *T = FD->getDescribedFunctionTemplate())
      Begin = T->getBeginLoc();
    if (const auto *LS = dyn_cast<LinkageSpecDecl>(FD->getLexicalDeclContext());
        LS && LS->getLanguage() == LinkageSpecLanguageIDs::C) {
      if (LS->hasBraces()) {
        D.InExternCBlock = true;
      } else {
        CharSourceRange Prefix = Lexer::makeFileCharRange(
            CharSourceRange::getCharRange(LS->getBeginLoc(), Begin), X.SM,
            X.LO);
        if (Prefix.isValid() && X.isWritableLoc(Prefix.getBegin()))
          D.LinkagePrefix = X.anchor(Prefix);
        else
          D.Problem = "its linkage specification is written by a macro";
        Begin = LS->getBeginLoc();
      }
    }
    D.Indent = indentOf(X.SM.getExpansionLoc(Begin));
    D.Attributes = leadingAttributes(*FD, Begin, X.SM);
    D.IsDefinition = FD->doesThisDeclarationHaveABody();
    recordParamsOpen(FD, D);
    if (D.IsDefinition) {
      const Stmt *Body = FD->getBody();
      if (isa<CXXTryStmt>(Body))
        F.Problem = "its body is a function-try-block";
      else
        F.BodyOpen =
            X.SM.getFileOffset(X.SM.getExpansionLoc(Body->getBeginLoc())) + 1;
      recordInactiveCode(F, Body);
      CharSourceRange Sig = Lexer::makeFileCharRange(
          CharSourceRange::getCharRange(Begin, Body->getBeginLoc()), X.SM,
          X.LO);
      CharSourceRange Whole = Lexer::makeFileCharRange(
          CharSourceRange::getTokenRange(Begin, Body->getEndLoc()), X.SM, X.LO);
      if (Sig.isInvalid() || Whole.isInvalid()) {
        D.Problem = "its definition is written by a macro";
      } else {
        D.Signature = Lexer::getSourceText(Sig, X.SM, X.LO).rtrim().str();
        if (!nameParameters(FD, Sig, D.Signature))
          D.FacadeProblem = "a parameter of its definition has no name, and "
                            "none can be given to it here";
        D.Whole = X.anchor(Whole);
        D.BodyClose =
            X.SM.getFileOffset(X.SM.getExpansionLoc(Body->getEndLoc()));
        D.FallsOffEnd = FD->isMain() && mayFallOffEnd(Body);
        D.ForwardArgs = forwardArgs(FD);
        D.TemplateArgs = explicitTemplateArgs(FD, D.FacadeProblem);
        D.Object = callObject(*FD);
        D.FacadeMaybeUnused =
            !FD->isExternallyVisible() && !isa<CXXMethodDecl>(FD) &&
            !FD->isInlined() && !FD->isTemplated() &&
            X.SM.getFileID(X.SM.getExpansionLoc(FD->getLocation())) !=
                X.SM.getMainFileID();
      }
    } else {
      SourceLocation Semi = Lexer::findLocationAfterToken(
          X.SM.getExpansionLoc(FD->getEndLoc()), tok::semi, X.SM, X.LO, false);
      CharSourceRange Whole = Lexer::makeFileCharRange(
          CharSourceRange::getCharRange(Begin, Semi), X.SM, X.LO);
      if (Semi.isInvalid() || Whole.isInvalid()) {
        D.Problem = "its declaration is written by a macro";
      } else {
        D.Whole = X.anchor(Whole);
        // A template only declared may need its facade written here, as a
        // definition (its explicit specialisations are defined).
        if (FD->getDescribedFunctionTemplate())
          declarationSignature(FD, Whole, D);
      }
    }
    F.Decls.push_back(std::move(D));
  }

  /// A declaration's signature, parameters named, and what a facade
  /// written from it passes on: its text without the ';'.
  void declarationSignature(const FunctionDecl *FD, CharSourceRange Whole,
                            DeclFact &D) {
    StringRef Text = Lexer::getSourceText(Whole, X.SM, X.LO).rtrim();
    if (!Text.consume_back(";"))
      return;
    std::string Signature = Text.rtrim().str();
    CharSourceRange Sig = CharSourceRange::getCharRange(
        Whole.getBegin(), Whole.getBegin().getLocWithOffset(Signature.size()));
    std::string Problem;
    std::string TemplateArgs = explicitTemplateArgs(FD, Problem);
    if (!Problem.empty() || !nameParameters(FD, Sig, Signature))
      return;
    D.Signature = std::move(Signature);
    D.ForwardArgs = forwardArgs(FD);
    D.TemplateArgs = std::move(TemplateArgs);
    D.Object = callObject(*FD);
  }

  /// Where a synchronous twin's tag parameter goes: just after the '(' of
  /// the parameter list, which a copy of the declaration keeps.
  void recordParamsOpen(const FunctionDecl *FD, DeclFact &D) {
    if (FD->getFriendObjectKind() != Decl::FOK_None) {
      D.TwinProblem = "it is declared as a friend";
      return;
    }
    FunctionTypeLoc FTL = FD->getFunctionTypeLoc();
    SourceLocation Open = FTL ? FTL.getLParenLoc() : SourceLocation();
    SourceLocation Close = FTL ? FTL.getRParenLoc() : SourceLocation();
    if (Open.isInvalid() || !Open.isFileID() || !Close.isFileID() ||
        !X.isWritableLoc(Open)) {
      D.TwinProblem = "its parameter list is written by a macro";
      return;
    }
    D.ParamsOpen = X.anchor(CharSourceRange::getCharRange(
        Open.getLocWithOffset(1), Open.getLocWithOffset(1)));
    D.ParamsEmpty = FD->getNumParams() == 0;
    if (D.ParamsEmpty &&
        !Lexer::getSourceText(
             CharSourceRange::getCharRange(Open.getLocWithOffset(1), Close),
             X.SM, X.LO)
             .trim()
             .empty())
      D.TwinProblem = "its parameter list is '(void)'";
  }

  /// Templated lambdas whose result type depends on the instantiation.
  DenseSet<const CXXMethodDecl *> DependentResult;
};

} // namespace

std::unique_ptr<Facet> makeDeclarationsFacet(ExtractContext &X) {
  return std::make_unique<DeclarationsFacet>(X);
}

} // namespace vinyl::extract
