//===- Extract.cpp - Facts from translation units, one parse each ---------===//
//
// One RecursiveASTVisitor pass per TU records, for every function declared
// under the paths, what the solver needs (flags, calls, overrides) and where
// each possible edit goes (return types, names, `return` keywords, call
// sites and whether `co_await` there needs parentheses). Nothing outside the
// paths is traversed: their code is never rewritten.
//
//===----------------------------------------------------------------------===//
#include "vinyl-asyncify/extract/Extract.h"

#include "ExtractInternal.h"
#include "vinyl-asyncify/extract/CallSites.h"
#include "vinyl-asyncify/extract/ParallelTool.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "llvm/Support/SaveAndRestore.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using namespace llvm;

namespace vinyl {

std::string writablePath(FileManager &FM, const PathSet &Writable,
                         StringRef Name) {
  SmallString<256> Path(Name);
  // ClangTool sets the command's directory on the VFS, not on FileManager.
  FM.getVirtualFileSystem().makeAbsolute(Path);
  return Writable.writable(Path);
}

namespace {

/// Whether \p E lies in the condition of an if, while, for, do or switch.
bool inCondition(const Expr *E, ASTContext &Ctx) {
  DynTypedNode Child = DynTypedNode::create(*E);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return false;
    DynTypedNode P = Parents[0];
    const Stmt *S = P.get<Stmt>();
    const Stmt *C = Child.get<Stmt>();
    if (const auto *If = dyn_cast_or_null<IfStmt>(S))
      return If->getCond() == C;
    if (const auto *W = dyn_cast_or_null<WhileStmt>(S))
      return W->getCond() == C;
    if (const auto *D = dyn_cast_or_null<DoStmt>(S))
      return D->getCond() == C;
    if (const auto *F = dyn_cast_or_null<ForStmt>(S))
      return F->getCond() == C;
    if (const auto *Sw = dyn_cast_or_null<SwitchStmt>(S))
      return Sw->getCond() == C;
    if (!S || isa<CompoundStmt, LambdaExpr>(S))
      return false;
    Child = P;
  }
}

class Extractor : public RecursiveASTVisitor<Extractor> {
public:
  Extractor(ASTContext &Ctx, const ExtractOptions &Opts, Facts &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()),
        Opts(Opts), Out(Out) {}

  void run() {
    TraverseAST(Ctx);
    finishThreadContainers();
    for (auto &[VD, F] : UnusedTasks)
      Out.Findings.push_back(std::move(F));
  }

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // Namespaces and linkage specs span files; anything else outside the
    // paths is never rewritten, so its body is not worth walking.
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl>(D) &&
        !isWritableLoc(D->getLocation()))
      return true;
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD)
      return RecursiveASTVisitor::TraverseDecl(D);
    InFunction Scope(*this, FD);
    if (!RecursiveASTVisitor::TraverseDecl(D))
      return false;
    if (InInstantiation)
      return true;
    if (const FunctionTemplateDecl *T = FD->getDescribedFunctionTemplate())
      traverseInstantiations(T, FD);
    else if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->isTemplated())
      traverseMemberInstantiations(M);
    return true;
  }

  /// A call a function template makes through its parameters
  /// (`sink.put(...)`) is dependent in the pattern and resolved only in
  /// each instantiation. Their bodies share the pattern's text, so their
  /// calls are recorded as the pattern's; nothing else is (the pattern has
  /// the declarations, returns and lambdas).
  void traverseInstantiations(const FunctionTemplateDecl *T,
                              FunctionDecl *Pattern) {
    for (FunctionDecl *Spec : T->specializations()) {
      if (Spec->getTemplateSpecializationKind() != TSK_ImplicitInstantiation ||
          !Spec->doesThisDeclarationHaveABody())
        continue;
      llvm::SaveAndRestore Guard(InInstantiation, true);
      InFunction Scope(*this, Pattern);
      TraverseStmt(Spec->getBody());
    }
  }

  /// The same for a member function of a class template: its dependent
  /// calls (`stream_.get(...)`) are followed in the member's instantiation
  /// in each specialization the TU instantiates (not in explicit
  /// specializations, which have their own text).
  void traverseMemberInstantiations(const CXXMethodDecl *Pattern) {
    const ClassTemplateDecl *Class =
        Pattern->getParent()->getDescribedClassTemplate();
    if (!Class || !Pattern->doesThisDeclarationHaveABody())
      return;
    const FunctionDecl *Canon = Pattern->getCanonicalDecl();
    for (const ClassTemplateSpecializationDecl *Spec :
         Class->specializations()) {
      if (Spec->getSpecializationKind() == TSK_ExplicitSpecialization)
        continue;
      for (const CXXMethodDecl *M : Spec->methods()) {
        const FunctionDecl *From = M->getInstantiatedFromMemberFunction();
        const FunctionDecl *Def = nullptr;
        if (!From || From->getCanonicalDecl() != Canon || !M->hasBody(Def))
          continue;
        llvm::SaveAndRestore Guard(InInstantiation, true);
        InFunction Scope(*this, Pattern);
        TraverseStmt(Def->getBody());
      }
    }
  }

  /// A lock declared in a block is held until the block ends.
  bool TraverseCompoundStmt(CompoundStmt *S) {
    size_t Held = Locks.size();
    bool Result = RecursiveASTVisitor::TraverseCompoundStmt(S);
    Locks.resize(Held);
    return Result;
  }

  /// `co_await` is not allowed in a catch handler, so a call there that
  /// must be awaited cannot be rewritten in place.
  bool TraverseCXXCatchStmt(CXXCatchStmt *S) {
    ++CatchDepth.back();
    bool Result = RecursiveASTVisitor::TraverseCXXCatchStmt(S);
    --CatchDepth.back();
    return Result;
  }

  /// A lambda body is a function of its own: its calls are its call
  /// operator's, not the enclosing function's. It may become a coroutine
  /// lambda as long as every use of its closure is a call the rewrite sees.
  bool TraverseLambdaExpr(LambdaExpr *E) {
    if (InInstantiation)
      return traverseInstantiatedLambda(E);
    const CXXMethodDecl *Op = E->getCallOperator();
    PatternLambdas[E->getBeginLoc()] = Op;
    recordLambda(E);
    trackClosure(E, Op);
    InFunction Scope(*this, Op);
    return RecursiveASTVisitor::TraverseLambdaExpr(E);
  }

  /// A lambda in an instantiation of a template: its calls (dependent in
  /// the pattern) are the pattern lambda's, and its deduced result type is
  /// what the pattern's must spell if all instantiations agree.
  bool traverseInstantiatedLambda(LambdaExpr *E) {
    auto It = PatternLambdas.find(E->getBeginLoc());
    if (It == PatternLambdas.end())
      return true;
    const CXXMethodDecl *Pattern = It->second;
    FunctionFact &F = fact(Pattern);
    if (!F.Decls.empty() && DependentResult.contains(Pattern)) {
      DeclFact &D = F.Decls.back();
      std::string Problem;
      std::string Type = resultType(E->getCallOperator(), {}, Problem);
      if (!Problem.empty())
        D.Problem = Problem;
      else if (D.Result.empty())
        D.Result = Type, D.Problem.clear();
      else if (D.Result != Type)
        D.Problem = "its result type differs between instantiations ('" +
                    D.Result + "' and '" + Type + "')";
    }
    InFunction Scope(*this, Pattern);
    return TraverseStmt(E->getBody());
  }

  /// Contexts where a call cannot be awaited: unevaluated operands (the
  /// type would change), default arguments and static local initialisers
  /// (co_await is not allowed there).
  static constexpr const char *Unevaluated =
      "it is in an unevaluated operand, whose type would change";
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc TL, bool TraverseQualifier) {
    Forbidden F(*this, Unevaluated);
    return RecursiveASTVisitor::TraverseDecltypeTypeLoc(TL, TraverseQualifier);
  }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *E) {
    Forbidden F(*this, Unevaluated);
    return RecursiveASTVisitor::TraverseUnaryExprOrTypeTraitExpr(E);
  }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *E) {
    Forbidden F(*this, Unevaluated);
    return RecursiveASTVisitor::TraverseCXXNoexceptExpr(E);
  }
  bool TraverseParmVarDecl(ParmVarDecl *D) {
    Forbidden F(*this, "it is in a default argument, where co_await is not "
                       "allowed");
    return RecursiveASTVisitor::TraverseParmVarDecl(D);
  }
  bool TraverseVarDecl(VarDecl *D) {
    if (!D->isStaticLocal())
      return RecursiveASTVisitor::TraverseVarDecl(D);
    Forbidden F(*this, "it initialises a static local variable, where "
                       "co_await is not allowed");
    return RecursiveASTVisitor::TraverseVarDecl(D);
  }
  /// g++ 12 rejects co_await in an initializer list ("array used as
  /// initializer").
  bool TraverseCXXStdInitializerListExpr(CXXStdInitializerListExpr *E) {
    Forbidden F(*this, "it is in a braced initializer list, where g++ 12 "
                       "cannot compile co_await; hoist it into a variable");
    return RecursiveASTVisitor::TraverseCXXStdInitializerListExpr(E);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (InInstantiation)
      return true;
    if (FD->isImplicit() || isa<CXXDeductionGuideDecl>(FD))
      return true;
    recordDecl(FD);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (InInstantiation)
      return true;
    if (const FunctionDecl *FD = currentFunction();
        FD && VD->isLocalVarDecl() && !isa<ParmVarDecl>(VD))
      fact(FD).HasLocals = true;
    recordThreadVar(VD);
    recordThreadContainer(VD);
    if (VD->isLocalVarDecl() && isLock(VD->getType()))
      Locks.push_back(VD);
    return true;
  }

  static bool isLock(QualType T) {
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD || !RD->isInStdNamespace())
      return false;
    return llvm::is_contained({"lock_guard", "unique_lock", "scoped_lock",
                               "shared_lock"},
                              RD->getName());
  }

  bool VisitCoawaitExpr(CoawaitExpr *E) {
    Awaited.insert(E->getOperand()->IgnoreImplicit());
    return true;
  }

  bool VisitReturnStmt(ReturnStmt *RS) {
    if (InInstantiation)
      return true;
    const FunctionDecl *FD = currentFunction();
    if (!FD)
      return true;
    FunctionFact &F = fact(FD);
    SourceLocation Loc = RS->getReturnLoc();
    if (!Loc.isFileID()) {
      F.Problem = "a 'return' in it is written by a macro";
      return true;
    }
    F.Returns.push_back(anchor(CharSourceRange::getCharRange(
        Loc, Loc.getLocWithOffset(6))));
    return true;
  }

  /// A function named other than as a callee has its address taken; a
  /// closure variable named other than to call it lets the lambda escape.
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (InInstantiation)
      return true;
    if (const auto *VD = dyn_cast<VarDecl>(E->getDecl())) {
      UnusedTasks.erase(VD);
      if (auto It = ThreadVars.find(VD);
          It != ThreadVars.end() && !ThreadRefs.contains(E))
        otherThreadUse(E, It->second);
      if (!ThreadRefs.contains(E))
        if (ThreadContainer *T = containerOrElementVar(VD))
          otherContainerUse(E, *T);
      auto It = ClosureVars.find(VD);
      if (It != ClosureVars.end() && !isCalledObject(E))
        recordEscape(E, It->second);
      if (!Opts.Cfg->CallbackTypes.empty())
        callbackValueUse(E, VD);
      return true;
    }
    const auto *FD = dyn_cast<FunctionDecl>(E->getDecl());
    if (!FD || CalleeRefs.contains(E) || !isOurs(FD))
      return true;
    CallFact C;
    C.Callee = id(FD);
    C.Kind = CallKind::AddressTaken;
    if (!Opts.Cfg->CallbackTypes.empty()) {
      C.CallbackType = callbackAlias(destinationType(E));
      if (!C.CallbackType.empty())
        C.CalleeName = fileAnchor(SourceRange(E->getLocation()), C.Problem);
    }
    recordCall(E, std::move(C));
    return true;
  }

  /// An alias named by the callback_types rules, declared under the paths:
  /// if a function stored as it reaches I/O, its result becomes a task.
  bool VisitTypedefNameDecl(TypedefNameDecl *TD) {
    std::string Name = TD->getQualifiedNameAsString();
    if (!llvm::is_contained(Opts.Cfg->CallbackTypes, Name))
      return true;
    std::string Id = "callback:" + Name;
    FunctionFact &F = Out.Functions[Id];
    F.Id = Id;
    F.Name = Name;
    F.Loc = location(TD->getLocation());
    F.IsCallbackType = F.Writable = F.HasDefinition = true;
    DeclFact D;
    D.Loc = F.Loc;
    D.Whole = fileAnchor(TD->getSourceRange(), D.Problem);
    FunctionProtoTypeLoc Signature =
        callbackSignature(TD->getTypeSourceInfo()->getTypeLoc());
    if (!Signature) {
      F.Problem = "it is not an alias of a function pointer, function "
                  "reference or std::function type";
      return true;
    }
    // Converted already: its targets are coroutines.
    F.IsCoroutine = isTask(Signature.getReturnLoc().getType());
    SourceRange Result = Signature.getReturnLoc().getSourceRange();
    D.ReturnType = fileAnchor(Result, D.Problem);
    D.Result = Lexer::getSourceText(CharSourceRange::getTokenRange(Result),
                                    SM, LO)
                   .str();
    F.Decls.push_back(std::move(D));
    return true;
  }

  /// The function type a callback alias names: through pointers,
  /// references, parentheses and std::function's one template argument.
  static FunctionProtoTypeLoc callbackSignature(TypeLoc TL) {
    while (TL) {
      TL = TL.getUnqualifiedLoc();
      if (auto F = TL.getAs<FunctionProtoTypeLoc>())
        return F;
      if (auto P = TL.getAs<PointerTypeLoc>())
        TL = P.getPointeeLoc();
      else if (auto R = TL.getAs<ReferenceTypeLoc>())
        TL = R.getPointeeLoc();
      else if (auto Paren = TL.getAs<ParenTypeLoc>())
        TL = Paren.getInnerLoc();
      else if (auto T = TL.getAs<TemplateSpecializationTypeLoc>();
               T && T.getNumArgs() == 1 &&
               T.getArgLoc(0).getArgument().getKind() ==
                   TemplateArgument::Type)
        TL = T.getArgLoc(0).getTypeSourceInfo()->getTypeLoc();
      else
        return {};
    }
    return {};
  }

  /// The id of the callback type (per the rules) \p T names, or "".
  std::string callbackAlias(QualType T) const {
    // `const Handler &` and `Handler &&` parameters hold a Handler too.
    if (!T.isNull())
      T = T.getNonReferenceType();
    while (!T.isNull()) {
      const auto *TT = T->getAs<TypedefType>();
      if (!TT)
        return "";
      std::string Name = TT->getDecl()->getQualifiedNameAsString();
      if (llvm::is_contained(Opts.Cfg->CallbackTypes, Name))
        return "callback:" + Name;
      T = TT->desugar();
    }
    return "";
  }

  /// The declared type a function's address is stored as, converted to or
  /// passed as: a variable, a parameter, an array element or field of a
  /// braced initialiser, an assignment's left side, a return type.
  QualType destinationType(const Expr *E) {
    DynTypedNode Node = DynTypedNode::create(*E);
    for (;;) {
      auto Parents = Ctx.getParents(Node);
      if (Parents.empty())
        return {};
      const DynTypedNode &P = Parents[0];
      if (const auto *VD = P.get<VarDecl>())
        return VD->getType();
      if (const auto *FD = P.get<FieldDecl>())
        return FD->getType();
      if (P.get<ReturnStmt>()) {
        const FunctionDecl *Fn = currentFunction();
        return Fn ? Fn->getReturnType() : QualType();
      }
      const auto *PE = P.get<Expr>();
      const Expr *Child = Node.get<Expr>();
      if (!PE || !Child)
        return {};
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(PE))
        return Cast->getTypeAsWritten();
      const auto *Unary = dyn_cast<UnaryOperator>(PE);
      // A captureless lambda converted to a function pointer.
      const auto *Conversion = dyn_cast<CXXMemberCallExpr>(PE);
      if (isa<MemberExpr>(PE) ||
          (Conversion && isa_and_nonnull<CXXConversionDecl>(
                             Conversion->getMethodDecl()))) {
        Node = P;
        continue;
      }
      if (isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr, ExprWithCleanups>(PE) ||
          (Unary && Unary->getOpcode() == UO_AddrOf) ||
          (isa<CXXConstructExpr>(PE) &&
           cast<CXXConstructExpr>(PE)->getNumArgs() == 1)) {
        Node = P;
        continue;
      }
      if (const auto *List = dyn_cast<InitListExpr>(PE)) {
        if (const clang::ArrayType *AT = Ctx.getAsArrayType(List->getType()))
          return AT->getElementType();
        const RecordDecl *RD = List->getType()->getAsRecordDecl();
        if (!RD)
          return {};
        unsigned I = 0;
        for (const FieldDecl *Field : RD->fields()) {
          if (I < List->getNumInits() && List->getInit(I) == Child)
            return Field->getType();
          ++I;
        }
        return {};
      }
      if (const auto *Assign = dyn_cast<BinaryOperator>(PE))
        return Assign->getOpcode() == BO_Assign && Assign->getRHS() == Child
                   ? Assign->getLHS()->getType()
                   : QualType();
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PE))
        // `callback = f` on a class type (std::function).
        return Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
                       Op->getArg(1) == Child
                   ? Op->getArg(0)->getType()
                   : QualType();
      if (const auto *Call = dyn_cast<CallExpr>(PE)) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        // std::move(h) and std::forward<H>(h) hand h on as it is.
        if (Callee && Callee->isInStdNamespace() && Callee->getIdentifier() &&
            (Callee->getName() == "move" || Callee->getName() == "forward") &&
            Call->getNumArgs() == 1) {
          Node = P;
          continue;
        }
        for (unsigned I = 0; Callee && I < Call->getNumArgs(); ++I)
          if (Call->getArg(I) == Child && I < Callee->getNumParams())
            return Callee->getParamDecl(I)->getType();
        return {};
      }
      if (const auto *Construct = dyn_cast<CXXConstructExpr>(PE)) {
        const CXXConstructorDecl *Ctor = Construct->getConstructor();
        for (unsigned I = 0; Ctor && I < Construct->getNumArgs(); ++I)
          if (Construct->getArg(I) == Child && I < Ctor->getNumParams())
            return Ctor->getParamDecl(I)->getType();
        return {};
      }
      return {};
    }
  }

  /// A variable or parameter declared as a callback alias, used other than
  /// by calling it, storing it as the same alias, testing it or assigning
  /// to it: it is handed to code that would drop the task a call returns
  /// (a std::thread, an algorithm, a std::function of the old type).
  void callbackValueUse(const DeclRefExpr *E, const VarDecl *VD) {
    std::string Alias = callbackAlias(VD->getType());
    if (Alias.empty() || CalleeRefs.contains(E) || isCalledObject(E) ||
        callbackAlias(destinationType(E)) == Alias || testedOrAssigned(E))
      return;
    CallFact C;
    C.Callee = std::move(Alias);
    C.Kind = CallKind::AddressTaken;
    recordCall(E, std::move(C));
  }

  /// `if (h)`, `!h`, `h == nullptr`, `h = g`.
  bool testedOrAssigned(const Expr *E) {
    const Expr *Child = E;
    for (;;) {
      DynTypedNodeList Parents = Ctx.getParents(*Child);
      const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
      if (!P)
        return false;
      if (const auto *Cast = dyn_cast<ImplicitCastExpr>(P)) {
        if (Cast->getCastKind() == CK_PointerToBoolean)
          return true;
        Child = P;
        continue;
      }
      if (isa<ParenExpr, MemberExpr>(P)) {
        Child = P;
        continue;
      }
      if (const auto *Call = dyn_cast<CXXMemberCallExpr>(P))
        return isa_and_nonnull<CXXConversionDecl>(Call->getMethodDecl());
      if (const auto *U = dyn_cast<UnaryOperator>(P))
        return U->getOpcode() == UO_LNot;
      if (const auto *B = dyn_cast<BinaryOperator>(P))
        return B->isEqualityOp() ||
               (B->getOpcode() == BO_Assign && B->getLHS() == Child);
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P))
        return Op->getOperator() == OO_EqualEqual ||
               Op->getOperator() == OO_ExclaimEqual ||
               (Op->getOperator() == OO_Equal && Op->getArg(0) == Child);
      return false;
    }
  }

  /// `h(x)` where h's declared type is a callback alias: a call of every
  /// function stored as that type.
  bool recordCallThrough(CallExpr *CE, const Expr *Object) {
    if (Opts.Cfg->CallbackTypes.empty())
      return false;
    std::string Alias = callbackAlias(Object->IgnoreParenImpCasts()->getType());
    if (Alias.empty())
      return false;
    CallFact C;
    C.Callee = std::move(Alias);
    recordCall(CE, std::move(C));
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    CalleeRefs.insert(CE->getCallee()->IgnoreParenImpCasts());
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee) {
      recordCallThrough(CE, CE->getCallee());
      return true;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(CE);
        Op && Op->getOperator() == OO_Call && !isOurs(Callee) &&
        recordCallThrough(CE, Op->getArg(0)))
      return true;
    if (!InInstantiation && !isOurs(Callee))
      recordFunctorsPassedOn(CE->arguments(), Callee);
    std::string Name = Callee->getQualifiedNameAsString();
    if (!InInstantiation && inCoroutine() && !Awaited.contains(CE) &&
        isTask(Callee->getReturnType()))
      checkAwaited(CE, Callee);
    CallFact C;
    if (isSpawnReplacement(Name) && CE->getNumArgs() > 0) {
      // Converted already: the spawned function or lambda is the task's.
      const Expr *Callable = withoutAddressOf(CE->getArg(0)->IgnoreImplicit());
      if (const auto *L = dyn_cast<LambdaExpr>(Callable))
        SpawnedLambdas.insert(L);
      else if (const auto *Ref = dyn_cast<DeclRefExpr>(Callable))
        CalleeRefs.insert(Ref);
      return true;
    }
    if (isBlockOn(*Opts.Cfg, *Callee) && CE->getNumArgs() == 1) {
      BlockedOn.insert(CE->getArg(0)->IgnoreImplicit());
      C.Callee = "wait:" + Name;
      C.Kind = CallKind::BlockingWait;
      const Expr *Ref = CE->getCallee()->IgnoreImplicit();
      C.CalleeName = fileAnchor(Ref->getSourceRange(), C.Problem);
      recordCall(CE, std::move(C));
      return true;
    }
    if (const LeafRule *Leaf = Opts.Cfg->findReplacement(Name)) {
      // Already the awaitable: nothing to rewrite, but it is where this
      // coroutine's I/O happens, which --explain and --graph show.
      C.Callee = "leaf:" + Leaf->Name;
      C.Awaited = true;
      recordCall(CE, std::move(C));
      return true;
    }
    if (const LeafRule *Leaf = Opts.Cfg->findLeaf(Name)) {
      C.Callee = "leaf:" + Leaf->Name;
      const Expr *Ref = CE->getCallee()->IgnoreImplicit();
      C.CalleeName = fileAnchor(Ref->getSourceRange(), C.Problem);
      Out.LeavesSeen.push_back(Leaf->Name);
      // A function declared under the paths may also be defined there (a
      // project's own `send`): then it is code to convert, not a leaf. Only
      // the whole program knows; resolveLeaves() decides after merging.
      if (isOurs(Callee)) {
        C.LeafName = Leaf->Name;
        C.LeafCallee = C.CalleeName;
        C.Callee = id(Callee);
        C.CalleeName = nameAnchor(CE, C.Problem);
      }
    } else if (isOurs(Callee)) {
      C.Callee = id(Callee);
      C.CalleeName = nameAnchor(CE, C.Problem);
    } else {
      return true;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(CE))
      if (Op->getOperator() != OO_Call && Op->getOperator() != OO_Subscript)
        C.Kind = CallKind::Operator;
    if (const auto *M = dyn_cast<MemberExpr>(CE->getCallee()->IgnoreImplicit()))
      if (M->isImplicitAccess() && isa<CXXConversionDecl>(Callee))
        C.Kind = CallKind::Implicit;
    recordCall(CE, std::move(C));
    return true;
  }

  /// A local container of threads (see recordThreadContainer).
  struct ThreadContainer {
    const SpawnRule *Rule = nullptr;
    std::string Group; ///< "file:line:col name" of its declaration.
    /// The element type, where its declaration and loops name it.
    std::vector<TextEdit> Edits;
    /// Indices into Out.Calls of the threads added and the joins.
    std::vector<size_t> Spawns, Joins;
    std::string Problem;
  };
  /// `std::thread(f, args...).detach()` (per the spawn rules): a thread
  /// that may become a spawned task, if f reaches I/O. On a local thread
  /// (see VisitVarDecl), the rule's join, or a member the handle has too.
  /// On a container of threads and its elements, see containerCall.
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *CE) {
    if (InInstantiation)
      return true;
    const CXXMethodDecl *M = CE->getMethodDecl();
    if (!M || !M->getIdentifier() || Opts.Cfg->Spawns.empty())
      return true;
    const Expr *Object = CE->getImplicitObjectArgument()->IgnoreImplicit();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Object))
      if (auto It = Containers.find(Ref->getDecl()); It != Containers.end()) {
        containerCall(CE, Ref, It->second);
        return true;
      }
    const SpawnRule *Rule =
        Opts.Cfg->findSpawn(M->getParent()->getQualifiedNameAsString());
    if (!Rule)
      return true;
    if (const DeclRefExpr *Ref; ThreadContainer *T = elementOf(Object, Ref)) {
      elementCall(CE, Ref, *T);
      return true;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Object)) {
      auto It = ThreadVars.find(Ref->getDecl());
      if (It == ThreadVars.end())
        return true;
      if (M->getName() == Rule->Join) {
        ThreadRefs.insert(Ref);
        CallFact C;
        C.Kind = CallKind::Join;
        C.Callee = Out.Calls[It->second.Spawn].Callee;
        recordCall(CE, std::move(C));
      } else if (llvm::is_contained(Rule->HandleMembers, M->getName())) {
        ThreadRefs.insert(Ref);
      }
      return true;
    }
    if (M->getName() != Rule->Detach)
      return true;
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (!threadTemporary(Object, Construct, Type))
      return true;
    CallFact C;
    if (!spawnedCallable(Construct, *Rule, C))
      return true;
    spawnEdit(C, Type.getSourceRange(), Rule->Replacement);
    CharSourceRange Tail = Lexer::makeFileCharRange(
        CharSourceRange::getCharRange(
            Lexer::getLocForEndOfToken(Object->getEndLoc(), 0, SM, LO),
            Lexer::getLocForEndOfToken(CE->getEndLoc(), 0, SM, LO)),
        SM, LO);
    if (Tail.isInvalid() || !isWritableLoc(Tail.getBegin()))
      C.Problem = "it is written inside a macro expansion";
    else
      C.SpawnEdits.push_back({anchor(Tail), ""});
    recordCall(CE, std::move(C));
    // Point at the thread, not at ".detach".
    Out.Calls.back().Loc = location(CE->getBeginLoc());
    return true;
  }

  /// A local thread per a spawn rule with a join member: `std::thread
  /// t(f, a)`, `std::thread t{f, a}`, `auto t = std::thread(f, a)`. If f
  /// reaches I/O it becomes `auto t = vinyl::spawn(f, a)` and its joins
  /// are awaited, so every other use of t must be one the handle has too.
  void recordThreadVar(VarDecl *VD) {
    if (Opts.Cfg->Spawns.empty() || !VD->isLocalVarDecl() ||
        VD->isStaticLocal() || !VD->hasInit() || !currentFunction())
      return;
    const CXXRecordDecl *Class = VD->getType()->getAsCXXRecordDecl();
    if (!Class)
      return;
    const SpawnRule *Rule =
        Opts.Cfg->findSpawn(Class->getQualifiedNameAsString());
    if (!Rule || Rule->Join.empty())
      return;
    const Expr *Init = VD->getInit()->IgnoreImplicit();
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Temporary;
    if (VD->getInitStyle() == VarDecl::CInit) {
      if (!threadTemporary(Init, Construct, Temporary))
        return;
    } else {
      Construct = dyn_cast<CXXConstructExpr>(Init);
    }
    CallFact C;
    if (!spawnedCallable(Construct, *Rule, C))
      return;
    TypeLoc Declared = VD->getTypeSourceInfo()->getTypeLoc();
    if (!Declared.getContainedAutoTypeLoc())
      spawnEdit(C, Declared.getSourceRange(), "auto");
    if (Temporary) {
      spawnEdit(C, Temporary.getSourceRange(), Rule->Replacement);
    } else if (VD->getLocation().isMacroID()) {
      C.Problem = "it is written inside a macro expansion";
    } else {
      SourceLocation AfterName =
          Lexer::getLocForEndOfToken(VD->getLocation(), 0, SM, LO);
      C.SpawnEdits.push_back(
          {anchor(CharSourceRange::getCharRange(AfterName, AfterName)),
           " = " + Rule->Replacement});
    }
    recordCall(Init, std::move(C));
    Out.Calls.back().Loc = location(VD->getLocation());
    ThreadVars[VD] = {Out.Calls.size() - 1, Rule};
  }

  /// `T(f, a)` or `T{f, a}`: the construction of a temporary and its type
  /// as written.
  static bool threadTemporary(const Expr *E, const CXXConstructExpr *&Construct,
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

  /// The function, member function or lambda a spawn-rule thread runs (its
  /// first argument), or false if it runs something else. Braces around the arguments
  /// become the parentheses of a call.
  bool spawnedCallable(const CXXConstructExpr *Construct,
                       const SpawnRule &Rule, CallFact &C) {
    if (!Construct || Construct->getNumArgs() == 0 ||
        !spawnedCallable(Construct->getArg(0), Rule, C))
      return false;
    SourceRange Braces = Construct->getParenOrBraceRange();
    if (Construct->isListInitialization() && Braces.isValid()) {
      spawnEdit(C, SourceRange(Braces.getBegin()), "(");
      spawnEdit(C, SourceRange(Braces.getEnd()), ")");
    }
    return true;
  }

  bool spawnedCallable(const Expr *Callable, const SpawnRule &Rule,
                       CallFact &C) {
    Callable = withoutAddressOf(Callable->IgnoreImplicit());
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Callable)) {
      const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl());
      if (!FD || !isOurs(FD))
        return false;
      CalleeRefs.insert(Ref);
      C.Callee = id(FD);
      C.CalleeName = fileAnchor(SourceRange(Ref->getLocation()), C.Problem);
    } else if (const auto *L = dyn_cast<LambdaExpr>(Callable)) {
      SpawnedLambdas.insert(L);
      C.Callee = id(L->getCallOperator());
    } else {
      return false;
    }
    C.Kind = CallKind::Spawn;
    C.SpawnWith = Rule.Replacement;
    return true;
  }

  /// `&Server::serve` names a member function a thread runs on its next
  /// argument.
  static const Expr *withoutAddressOf(const Expr *E) {
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_AddrOf)
      return U->getSubExpr()->IgnoreParenImpCasts();
    return E;
  }

  void spawnEdit(CallFact &C, SourceRange Tokens, std::string Text) {
    Anchor Where = fileAnchor(Tokens, C.Problem);
    if (C.Problem.empty())
      C.SpawnEdits.push_back({std::move(Where), std::move(Text)});
  }

  /// A zero-width spawn edit: text inserted before \p At.
  void spawnInsert(CallFact &C, SourceLocation At, std::string Text) {
    if (!At.isFileID() || !isWritableLoc(At)) {
      if (C.Problem.empty())
        C.Problem = "it is written inside a macro expansion";
      return;
    }
    C.SpawnEdits.push_back(
        {anchor(CharSourceRange::getCharRange(At, At)), std::move(Text)});
  }

  /// A local container of threads per a spawn rule with a handle type
  /// (`std::vector<std::thread> ts;`, a deque, a list, an array). If the
  /// threads put in it run a function that reaches I/O, it holds handles
  /// instead: its element type (in the declaration and in range-for
  /// variables) becomes the handle type, the places threads are added
  /// become spawns, and its elements' joins are awaited. Every other use
  /// must mean the same on handles, or the container is refused.
  void recordThreadContainer(VarDecl *VD) {
    if (Opts.Cfg->Spawns.empty() || !VD->isLocalVarDecl() ||
        VD->isStaticLocal() || !currentFunction())
      return;
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        VD->getType()->getAsCXXRecordDecl());
    if (!Spec || Spec->getTemplateArgs().size() == 0 ||
        Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return;
    const SpawnRule *Rule = threadRule(Spec->getTemplateArgs()[0].getAsType());
    if (!Rule || Rule->HandleType.empty())
      return;
    ThreadContainer &T = Containers[VD];
    T.Rule = Rule;
    Location L = location(VD->getLocation());
    T.Group = L.File + ":" + std::to_string(L.Line) + ":" +
              std::to_string(L.Column) + " " + VD->getNameAsString();
    auto Written = VD->getTypeSourceInfo()
                       ->getTypeLoc()
                       .getAsAdjusted<TemplateSpecializationTypeLoc>();
    if (!Written || Written.getNumArgs() == 0 ||
        !Written.getArgLoc(0).getTypeSourceInfo())
      containerProblem(T, "the element type of '" + VD->getNameAsString() +
                              "' is not written in its declaration");
    else
      elementTypeEdit(
          T, Written.getArgLoc(0).getTypeSourceInfo()->getTypeLoc());
    // An allocator or comparator written out names the element type too.
    for (unsigned I = 1; Written && I < Written.getNumArgs(); ++I)
      if (Written.getArgLoc(I).getArgument().getKind() ==
          TemplateArgument::Type)
        containerProblem(T, "the declaration of '" + VD->getNameAsString() +
                                "' has template arguments besides the "
                                "element type");
    // Empty, or a count of empty elements: no thread, and no handle.
    if (const Expr *Init = VD->getInit()) {
      const auto *Construct =
          dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit());
      if (!Construct ||
          llvm::any_of(Construct->arguments(), [](const Expr *A) {
            return !isa<CXXDefaultArgExpr>(A) &&
                   !A->getType()->isIntegralOrEnumerationType();
          }))
        containerProblem(T, "'" + VD->getNameAsString() +
                                "' is initialised with threads");
    }
  }

  const SpawnRule *threadRule(QualType Type) const {
    const CXXRecordDecl *Class = Type->getAsCXXRecordDecl();
    return Class ? Opts.Cfg->findSpawn(Class->getQualifiedNameAsString())
                 : nullptr;
  }

  void elementTypeEdit(ThreadContainer &T, TypeLoc Type) {
    std::string Problem;
    Anchor Where = fileAnchor(Type.getSourceRange(), Problem);
    if (Problem.empty())
      T.Edits.push_back({std::move(Where), T.Rule->HandleType});
    else
      containerProblem(T, Problem);
  }

  static void containerProblem(ThreadContainer &T, std::string Problem) {
    if (T.Problem.empty())
      T.Problem = std::move(Problem);
  }

  /// The container \p VD is, or whose elements a range-for variable \p VD
  /// names.
  ThreadContainer *containerOrElementVar(const ValueDecl *VD) {
    if (auto It = ElementVars.find(VD); It != ElementVars.end())
      VD = It->second;
    auto It = Containers.find(VD);
    return It == Containers.end() ? nullptr : &It->second;
  }

  /// A member call on a container of threads. `ts.emplace_back(f, a)`,
  /// `ts.push_back(std::thread(f, a))` and their _front forms add a thread
  /// that may become a spawn; members that neither take nor give a thread
  /// mean the same on handles; element access is judged where the element
  /// is used (elementOf). Any other call leaves the reference unmarked, and
  /// VisitDeclRefExpr refuses the container.
  void containerCall(const CXXMemberCallExpr *CE, const DeclRefExpr *Ref,
                     ThreadContainer &T) {
    static constexpr StringRef Neutral[] = {
        "size",     "empty",         "reserve",   "clear",    "capacity",
        "max_size", "shrink_to_fit", "pop_back",  "pop_front", "resize"};
    StringRef Name = CE->getMethodDecl()->getName();
    if (llvm::is_contained(Neutral, Name)) {
      ThreadRefs.insert(Ref);
      return;
    }
    bool Emplace = Name == "emplace_back" || Name == "emplace_front";
    if ((!Emplace && Name != "push_back" && Name != "push_front") ||
        CE->getNumArgs() == 0)
      return;
    ThreadRefs.insert(Ref);
    CallFact C;
    const Expr *First = CE->getArg(0)->IgnoreImplicit();
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (CE->getNumArgs() == 1 && threadRule(First->getType())) {
      // push_back(std::thread(f, a)) -> push_back(vinyl::spawn(f', a))
      if (!threadTemporary(First, Construct, Type) ||
          !spawnedCallable(Construct, *T.Rule, C))
        return containerProblem(T, addedOtherwise(CE));
      spawnEdit(C, Type.getSourceRange(), T.Rule->Replacement);
    } else {
      // emplace_back(f, a) -> emplace_back(vinyl::spawn(f', a))
      if (!Emplace || !spawnedCallable(First, *T.Rule, C))
        return containerProblem(T, addedOtherwise(CE));
      spawnInsert(C, CE->getArg(0)->getBeginLoc(), T.Rule->Replacement + "(");
      spawnInsert(C,
                  Lexer::getLocForEndOfToken(
                      CE->getArg(CE->getNumArgs() - 1)->getEndLoc(), 0, SM, LO),
                  ")");
    }
    // emplace_back returns the new element: a use of it is a thread.
    if (resultUsed(CE) && C.Problem.empty())
      C.Problem = "it is used through the result of '" + Name.str() + "'";
    addContainerSpawn(CE, std::move(C), T);
  }

  bool isMemberBase(const Expr *E) {
    const Expr *Child;
    const Stmt *P = skipImplicitParents(E, Ctx, Child);
    return isa_and_nonnull<MemberExpr, CXXDependentScopeMemberExpr,
                            UnresolvedMemberExpr>(P);
  }

  /// Whether the value of \p E is used: its parent is an expression or a
  /// declaration, not a statement that discards it.
  bool resultUsed(const Expr *E) {
    DynTypedNode Node = DynTypedNode::create(*E);
    for (;;) {
      auto Parents = Ctx.getParents(Node);
      if (Parents.empty())
        return false;
      if (const auto *P = Parents[0].get<Expr>()) {
        if (!isa<ExprWithCleanups>(P))
          return true;
        Node = Parents[0];
        continue;
      }
      return Parents[0].get<Decl>() != nullptr;
    }
  }

  std::string addedOtherwise(const Expr *E) {
    return "a thread is added at line " + std::to_string(lineOf(E)) +
           " that does not run a function or lambda of the paths";
  }

  unsigned lineOf(const Stmt *S) {
    return SM.getPresumedLineNumber(SM.getFileLoc(S->getBeginLoc()));
  }
  unsigned lineOf(const Decl *D) {
    return SM.getPresumedLineNumber(SM.getFileLoc(D->getLocation()));
  }

  void addContainerSpawn(const Expr *E, CallFact C, ThreadContainer &T) {
    C.Group = T.Group;
    recordCall(E, std::move(C));
    Out.Calls.back().Loc = location(E->getBeginLoc());
    T.Spawns.push_back(Out.Calls.size() - 1);
  }

  /// An element of a container of threads as the object of a member call:
  /// a range-for variable over it, `ts[i]`, `ts.at(i)`, `ts.front()`,
  /// `ts.back()`. \p Ref is then the reference the use would keep valid.
  ThreadContainer *elementOf(const Expr *Object, const DeclRefExpr *&Ref) {
    Ref = nullptr;
    if (const auto *D = dyn_cast<DeclRefExpr>(Object)) {
      if (ElementVars.contains(D->getDecl()))
        Ref = D;
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Object)) {
      if (Op->getOperator() == OO_Subscript)
        Ref = dyn_cast<DeclRefExpr>(Op->getArg(0)->IgnoreImplicit());
    } else if (const auto *Call = dyn_cast<CXXMemberCallExpr>(Object)) {
      const CXXMethodDecl *M = Call->getMethodDecl();
      if (M && M->getIdentifier() &&
          (M->getName() == "at" || M->getName() == "front" ||
           M->getName() == "back"))
        Ref = dyn_cast<DeclRefExpr>(
            Call->getImplicitObjectArgument()->IgnoreImplicit());
    }
    return Ref ? containerOrElementVar(Ref->getDecl()) : nullptr;
  }

  /// A member call on an element: the rule's join is awaited (see
  /// finishThreadContainers for the function it waits on); the handle's
  /// other members stay as written.
  void elementCall(const CXXMemberCallExpr *CE, const DeclRefExpr *Ref,
                   ThreadContainer &T) {
    StringRef Name = CE->getMethodDecl()->getName();
    if (Name == T.Rule->Join) {
      ThreadRefs.insert(Ref);
      CallFact C;
      C.Kind = CallKind::Join;
      C.Group = T.Group;
      recordCall(CE, std::move(C));
      T.Joins.push_back(Out.Calls.size() - 1);
    } else if (llvm::is_contained(T.Rule->HandleMembers, Name)) {
      ThreadRefs.insert(Ref);
    }
  }

  /// `for (auto &t : ts)` over a container of threads: t is an element,
  /// and a type written for it becomes the handle type.
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
    if (InInstantiation || Containers.empty())
      return true;
    const auto *Ref =
        dyn_cast<DeclRefExpr>(S->getRangeInit()->IgnoreParenImpCasts());
    if (!Ref)
      return true;
    auto It = Containers.find(Ref->getDecl());
    if (It == Containers.end())
      return true;
    ThreadRefs.insert(Ref);
    VarDecl *Loop = S->getLoopVariable();
    ElementVars[Loop] = Ref->getDecl();
    TypeLoc Type = Loop->getTypeSourceInfo()->getTypeLoc();
    if (auto R = Type.getAs<ReferenceTypeLoc>())
      Type = R.getPointeeLoc();
    Type = Type.getUnqualifiedLoc();
    if (!Type.getContainedAutoTypeLoc())
      elementTypeEdit(It->second, Type);
    return true;
  }

  /// `ts[i] = std::thread(f, a)`: adds a thread to a container of them.
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    if (InInstantiation || Containers.empty() ||
        E->getOperator() != OO_Equal || E->getNumArgs() != 2)
      return true;
    const DeclRefExpr *Ref = nullptr;
    ThreadContainer *T = elementOf(E->getArg(0)->IgnoreImplicit(), Ref);
    if (!T)
      return true;
    CallFact C;
    const CXXConstructExpr *Construct = nullptr;
    TypeLoc Type;
    if (!threadTemporary(E->getArg(1)->IgnoreImplicit(), Construct, Type) ||
        !spawnedCallable(Construct, *T->Rule, C))
      return true; // Left unmarked: refused as another use.
    ThreadRefs.insert(Ref);
    spawnEdit(C, Type.getSourceRange(), T->Rule->Replacement);
    addContainerSpawn(E, std::move(C), *T);
    return true;
  }

  /// Threads in one container become tasks together: each spawn site gets
  /// the container's type edits and problem, each join the function the
  /// first thread runs (the solver refuses a container whose threads
  /// disagree). Joins of a container no thread is added to are dropped.
  void finishThreadContainers() {
    std::vector<size_t> Drop;
    for (auto &[VD, T] : Containers) {
      std::string Runs =
          T.Spawns.empty() ? "" : Out.Calls[T.Spawns.front()].Callee;
      for (size_t I : T.Spawns) {
        CallFact &C = Out.Calls[I];
        if (C.Problem.empty())
          C.Problem = T.Problem;
        llvm::append_range(C.SpawnEdits, T.Edits);
      }
      for (size_t I : T.Joins) {
        Out.Calls[I].Callee = Runs;
        if (Runs.empty())
          Drop.push_back(I);
      }
    }
    llvm::sort(Drop);
    for (size_t I : llvm::reverse(Drop))
      Out.Calls.erase(Out.Calls.begin() + I);
  }

  /// A container or one of its range-for elements used where handles
  /// would not compile or would mean something else.
  void otherContainerUse(const DeclRefExpr *E, ThreadContainer &T) {
    std::string Name = E->getDecl()->getNameAsString();
    if (ElementVars.contains(E->getDecl()))
      return containerProblem(T, "'" + Name + "' is used at line " +
                                     std::to_string(lineOf(E)) +
                                     " other than by calling " +
                                     handleMembers(*T.Rule));
    containerProblem(T, "'" + Name + "' is used at line " +
                            std::to_string(lineOf(E)) +
                            " other than to add a thread, to iterate over it, "
                            "to call " + handleMembers(*T.Rule) +
                            " on an element or to ask its size");
  }

  static std::string handleMembers(const SpawnRule &Rule) {
    std::string Members = Rule.Join + "()";
    for (const std::string &M : Rule.HandleMembers)
      Members += ", " + M + "()";
    return Members;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    if (InInstantiation)
      return true;
    const CXXConstructorDecl *Ctor = E->getConstructor();
    if (Ctor && !isOurs(Ctor))
      recordFunctorsPassedOn(E->arguments(), Ctor);
    if (!Ctor || !isOurs(Ctor))
      return true;
    CallFact C;
    C.Callee = id(Ctor);
    C.Kind = CallKind::Implicit;
    recordCall(E, std::move(C));
    return true;
  }

private:
  const FunctionDecl *currentFunction() const {
    return Stack.empty() ? nullptr : Stack.back();
  }

  bool inCoroutine() const {
    const FunctionDecl *FD = currentFunction();
    return FD && FD->getBody() && isa<CoroutineBodyStmt>(FD->getBody());
  }

  bool isTask(QualType T) const { return isTaskType(T, Opts.Cfg->TaskType); }

  /// A task is lazy: one that is dropped, or stored and never touched
  /// again, never runs. (A stored task that is used in any way, moved into
  /// a container or awaited later, is left alone.)
  void checkAwaited(const CallExpr *CE, const FunctionDecl *Callee) {
    std::string What = "the task returned by '" +
                       Callee->getQualifiedNameAsString() + "'";
    const Expr *Child = CE;
    for (;;) {
      DynTypedNodeList Parents = Ctx.getParents(*Child);
      if (Parents.empty())
        return;
      if (const auto *VD = Parents[0].get<VarDecl>()) {
        if (VD->getInit() && VD->getInit()->IgnoreImplicit() == CE)
          UnusedTasks[VD] = {location(CE->getExprLoc()), "vinyl-unawaited-task",
                             What + " is stored in '" + VD->getName().str() +
                                 "' but never awaited, so it never runs"};
        return;
      }
      const auto *P = Parents[0].get<Stmt>();
      if (!P)
        return;
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(P);
          Cast && Cast->getType()->isVoidType()) {
        Child = Cast;
        continue;
      }
      if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              FullExpr, ParenExpr>(P)) {
        Child = cast<Expr>(P);
        continue;
      }
      if (isa<Expr, ReturnStmt, CoreturnStmt, DeclStmt>(P))
        return;
      Out.Findings.push_back({location(CE->getExprLoc()),
                              "vinyl-unawaited-task",
                              What + " is discarded without co_await, so it "
                                     "never runs"});
      return;
    }
  }

  /// g++ 12 mishandles three kinds of objects in a full-expression that
  /// suspends: the array behind a std::initializer_list ("array used as
  /// initializer"), a class temporary made by ?: and a braced aggregate of
  /// a class with a destructor (both destroyed twice at run time). Where a
  /// co_await would join one, the call is refused with the fix: hoist the
  /// operand into a variable.
  /// The outermost expression around \p E; \p Skippable tells whether E
  /// is in an operand that may not be evaluated (a branch of ?:, the right
  /// of && or ||).
  const Expr *fullExpression(const Expr *E, bool *Skippable = nullptr) {
    const Expr *Full = E;
    for (;;) {
      DynTypedNodeList Parents = Ctx.getParents(*Full);
      const Expr *P = Parents.empty() ? nullptr : Parents[0].get<Expr>();
      if (!P)
        return Full;
      if (const auto *C = dyn_cast<AbstractConditionalOperator>(P);
          C && Skippable)
        *Skippable |= C->getCond() != Full;
      if (const auto *B = dyn_cast<BinaryOperator>(P); B && Skippable)
        *Skippable |= B->isLogicalOp() && B->getRHS() == Full;
      Full = P;
    }
  }

  /// g++ 12.2 evaluates a co_await in an operand that may be skipped even
  /// when it is skipped, except where the expression initialises a
  /// variable or is the condition of an `if` (tested case by case: a
  /// co_return, an argument, an assignment and loop conditions go wrong).
  /// A `while` loop becomes `while (true) { if (!(cond)) break; body }`,
  /// which has the same meaning (continue re-tests the condition); other
  /// places are refused.
  void skippableAwait(const Expr *E, CallFact &C) {
    bool Skippable = false;
    const Expr *Full = fullExpression(E, &Skippable);
    if (!Skippable)
      return;
    DynTypedNodeList Parents = Ctx.getParents(*Full);
    if (Parents.empty())
      return;
    if (const auto *VD = Parents[0].get<VarDecl>()) {
      DynTypedNodeList Up = Ctx.getParents(*VD);
      if (!Up.empty() && (Up[0].get<DeclStmt>() || Up[0].get<IfStmt>()))
        return;
    }
    if (const auto *If = Parents[0].get<IfStmt>(); If && If->getCond() == Full)
      return;
    if (const auto *While = Parents[0].get<WhileStmt>();
        While && While->getCond() == Full && whileAsIf(While, C))
      return;
    C.Problem = "it is in a branch of ?: or the right of && or ||, which g++ "
                "12 evaluates even when it is skipped; move the expression "
                "into a variable's initialiser or an if condition";
  }

  /// The edits that turn `while (cond) body` into `while (true) { if
  /// (!(cond)) break; body }` (a braced body keeps its braces as the
  /// loop's), or false when the body's end is not plain.
  bool whileAsIf(const WhileStmt *While, CallFact &C) {
    const Stmt *Body = While->getBody();
    const auto *Block = dyn_cast<CompoundStmt>(Body);
    SourceLocation Begin = While->getCond()->getBeginLoc();
    SourceLocation CondEnd =
        Lexer::getLocForEndOfToken(While->getCond()->getEndLoc(), 0, SM, LO);
    // What the condition's ")" (and a braced body's "{") become.
    SourceLocation Close = Block ? Block->getLBracLoc().getLocWithOffset(1)
                                 : While->getRParenLoc().getLocWithOffset(1);
    SourceLocation After;
    if (!Block && isa<Expr, NullStmt, ReturnStmt, BreakStmt, ContinueStmt>(Body))
      After = Lexer::findLocationAfterToken(Body->getEndLoc(), tok::semi, SM,
                                            LO, false);
    if ((!Block && (After.isInvalid() || !After.isFileID())) ||
        !Begin.isFileID() || !CondEnd.isFileID() || !Close.isFileID() ||
        !isWritableLoc(Close))
      return false;
    auto At = [&](SourceLocation L, SourceLocation End) {
      return anchor(CharSourceRange::getCharRange(L, End));
    };
    C.AwaitEdits.push_back({At(Begin, Begin), "true) { if (!("});
    C.AwaitEdits.push_back({At(CondEnd, Close), ")) break;"});
    if (!Block)
      C.AwaitEdits.push_back({At(After, After), " }"});
    return true;
  }

  std::string gcc12FullExpressionProblem(const Expr *E) {
    const Expr *Full = fullExpression(E);
    SmallVector<const Stmt *, 16> Work = {Full};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S || isa<LambdaExpr>(S))
        continue;
      if (isa<CXXStdInitializerListExpr>(S))
        return "its full-expression builds a std::initializer_list, which "
               "g++ 12 cannot compile next to co_await ('array used as "
               "initializer'); hoist the braced list into a variable";
      if (const auto *List = dyn_cast<InitListExpr>(S)) {
        const CXXRecordDecl *RD = List->getType()->getAsCXXRecordDecl();
        if (RD && RD->hasDefinition() && !RD->hasTrivialDestructor())
          return "its full-expression aggregate-initialises '" +
                 RD->getQualifiedNameAsString() +
                 "' with braces, which g++ 12 miscompiles next to co_await "
                 "(its members are destroyed twice); hoist the awaited "
                 "call, or the braced object, into a variable of its own";
      }
      if (const auto *C = dyn_cast<AbstractConditionalOperator>(S)) {
        const CXXRecordDecl *RD = C->getType()->getAsCXXRecordDecl();
        if (C->isPRValue() && RD && RD->hasDefinition() &&
            !RD->hasTrivialDestructor())
          return "its full-expression makes a class temporary with ?:, "
                 "which g++ 12 destroys twice next to co_await; hoist the "
                 "?: into a variable";
      }
      for (const Stmt *Child : S->children())
        Work.push_back(Child);
    }
    return "";
  }

  bool isSpawnReplacement(StringRef Name) const {
    return llvm::any_of(Opts.Cfg->Spawns, [&](const SpawnRule &R) {
      return StringRef(R.Replacement).ltrim(':') == Name;
    });
  }

  /// Whether \p E is the object of a call `E(args)`.
  bool isCalledObject(const Expr *E) {
    const Expr *Child;
    const Stmt *P = skipImplicitParents(E, Ctx, Child);
    if (const auto *Call = dyn_cast_or_null<CXXOperatorCallExpr>(P))
      return Call->getOperator() == OO_Call && Call->getArg(0) == Child;
    // In a template, `next()` on a closure of a dependent type.
    if (const auto *Call = dyn_cast_or_null<CallExpr>(P))
      return Call->isTypeDependent() && Call->getCallee() == Child;
    return false;
  }

  /// A lambda called at once, or stored in a variable that is only ever
  /// called, is called where the rewrite can await it; any other use hands
  /// the closure to code that would drop the task it returns.
  void trackClosure(const LambdaExpr *E, const CXXMethodDecl *Op) {
    if (isCalledObject(E) || SpawnedLambdas.contains(E))
      return;
    const Expr *Child = E;
    for (;;) {
      DynTypedNodeList Parents = Ctx.getParents(*Child);
      if (Parents.empty())
        break;
      if (const auto *VD = Parents[0].get<VarDecl>()) {
        // In a template the variable's `auto` stays undeduced.
        if (VD->getType().getNonReferenceType()->getAsCXXRecordDecl() ==
                E->getLambdaClass() ||
            VD->getType()->getContainedDeducedType()) {
          ClosureVars[VD] = Op;
          return;
        }
        break;
      }
      const auto *P = Parents[0].get<Expr>();
      if (!P || !isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                     CXXBindTemporaryExpr, FullExpr>(P))
        break;
      Child = P;
    }
    recordEscape(E, Op);
  }


  /// A local thread that may become a spawned task: the index of its Spawn
  /// call, and its rule.
  struct ThreadVar {
    size_t Spawn;
    const SpawnRule *Rule;
  };

  /// A local thread used other than by the members its handle has: once
  /// it is a handle, that use would not compile or mean something else.
  void otherThreadUse(const DeclRefExpr *E, const ThreadVar &Thread) {
    CallFact &Spawn = Out.Calls[Thread.Spawn];
    if (!Spawn.Problem.empty())
      return;
    Spawn.Problem = "'" + E->getDecl()->getNameAsString() +
                    "' is used at line " + std::to_string(lineOf(E)) +
                    " other than by calling " + handleMembers(*Thread.Rule);
  }

  /// Objects of the project's function-object classes handed to code that
  /// is not converted (std::thread, an algorithm, std::function): that
  /// code calls their operator() without awaiting, so if it reaches I/O the
  /// object escapes like a function's address. Copies and moves of the
  /// class itself are not a hand-over.
  template <typename Range>
  void recordFunctorsPassedOn(Range Args, const FunctionDecl *Callee) {
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee);
        Ctor && Ctor->isCopyOrMoveConstructor())
      return;
    // A constructor is named by its class: std::thread, std::function.
    const NamedDecl *Taker = Callee;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee))
      Taker = Ctor->getParent();
    for (const Expr *Arg : Args) {
      const CXXRecordDecl *Class =
          Arg->IgnoreImplicit()->getType()->getAsCXXRecordDecl();
      if (!Class || Class->isLambda() || !Class->hasDefinition())
        continue;
      for (const NamedDecl *ND : Class->lookup(
               Ctx.DeclarationNames.getCXXOperatorName(OO_Call))) {
        const auto *Op = dyn_cast<CXXMethodDecl>(ND);
        if (!Op || !isOurs(Op))
          continue;
        CallFact C;
        C.Callee = id(Op);
        C.Kind = CallKind::AddressTaken;
        C.Problem = "it is handed to '" + Taker->getQualifiedNameAsString() +
                    "', which calls it without awaiting";
        recordCall(Arg, std::move(C));
      }
    }
  }

  /// A closure stored or passed on. Stored as a callback type, the lambda
  /// joins that type's family like a named function (it has no name to
  /// rename, so it never keeps a facade).
  void recordEscape(const Expr *E, const CXXMethodDecl *Op) {
    CallFact C;
    C.Callee = id(Op);
    C.Kind = CallKind::AddressTaken;
    if (!Opts.Cfg->CallbackTypes.empty())
      C.CallbackType = callbackAlias(destinationType(E));
    recordCall(E, std::move(C));
  }

  bool isWritableLoc(SourceLocation Loc) {
    if (Loc.isInvalid())
      return false;
    FileID FID = SM.getFileID(SM.getExpansionLoc(Loc));
    auto It = WritableFiles.find(FID);
    if (It != WritableFiles.end())
      return !It->second.empty();
    std::string Path;
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
      Path = writablePath(SM.getFileManager(), *Opts.Writable, FE->getName());
    return !WritableFiles.try_emplace(FID, std::move(Path))
                .first->second.empty();
  }

  StringRef pathOf(SourceLocation FileLoc) {
    isWritableLoc(FileLoc);
    return WritableFiles[SM.getFileID(FileLoc)];
  }

  bool isOurs(const FunctionDecl *FD) {
    for (const FunctionDecl *R : FD->redecls())
      if (isWritableLoc(R->getLocation()))
        return true;
    return false;
  }

  std::string id(const FunctionDecl *FD) {
    auto [It, New] = Ids.try_emplace(FD);
    if (New)
      It->second = functionId(*FD);
    return It->second;
  }

  Location location(SourceLocation Loc) { return locationOf(SM, Loc); }

  Anchor anchor(CharSourceRange R) {
    Anchor A;
    A.File = pathOf(R.getBegin()).str();
    A.Offset = SM.getFileOffset(R.getBegin());
    A.Length = SM.getFileOffset(R.getEnd()) - A.Offset;
    return A;
  }

  /// The file range a token range is written at, or an empty anchor and a
  /// Problem when a macro writes it.
  Anchor fileAnchor(SourceRange R, std::string &Problem) {
    CharSourceRange C = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(R), SM, LO);
    if (C.isInvalid() || !isWritableLoc(C.getBegin())) {
      Problem = "it is written inside a macro expansion";
      return {};
    }
    return anchor(C);
  }

  Anchor nameAnchor(const CallExpr *CE, std::string &Problem) {
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

  void recordCall(const Expr *E, CallFact C) {
    if (const FunctionDecl *Caller = currentFunction())
      C.Caller = id(Caller);
    C.Loc = location(E->getExprLoc());
    if (!Locks.empty()) {
      const VarDecl *Lock = Locks.back();
      C.HeldLock = "'" + Lock->getNameAsString() + "' (" +
                   Lock->getType()
                       ->getAsCXXRecordDecl()
                       ->getQualifiedNameAsString() +
                   ", line " + std::to_string(lineOf(Lock)) + ")";
    }
    std::string Problem;
    C.Call = fileAnchor(E->getSourceRange(), Problem);
    if (C.Problem.empty())
      C.Problem = Problem;
    if (!ForbiddenWhy.empty() && C.Problem.empty())
      C.Problem = ForbiddenWhy.back();
    // In a template's pattern a thread's or a callback's construction is
    // dependent, so what the address is for is not known.
    if (C.Problem.empty() && C.Kind == CallKind::AddressTaken &&
        C.CallbackType.empty() &&
        currentFunction() && currentFunction()->isTemplated())
      C.Problem = "it is inside a template, where threads and stored "
                  "functions are not followed";
    if (C.Problem.empty() && C.Kind != CallKind::AddressTaken)
      C.Problem = gcc12FullExpressionProblem(E);
    if (C.Problem.empty() && C.Kind != CallKind::AddressTaken)
      skippableAwait(E, C);
    if (CatchDepth.back() && C.Problem.empty())
      C.Problem = "it is inside a catch handler, where co_await is not allowed";
    C.NeedsParens = awaitNeedsParens(E, Ctx);
    // g++ 12 rejects `(co_await f()).m` in a template ("insufficient
    // contextual information"); `std::move(co_await f()).m` is the same
    // for a value result (a prvalue and an xvalue bind alike), and
    // `(*&co_await f()).m` for a reference result (the same lvalue).
    if (const auto *Call = dyn_cast<CallExpr>(E);
        Call && C.NeedsParens && currentFunction() &&
        (currentFunction()->isTemplated() || InInstantiation) &&
        isMemberBase(E))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        QualType Result = Callee->getReturnType();
        if (!Result->isDependentType()) {
          C.MoveAwait = !Result->isReferenceType();
          C.DerefAwait = Result->isReferenceType();
        }
      }
    C.InCondition = inCondition(E, Ctx);
    C.Awaited = C.Awaited || Awaited.contains(E);
    C.BlockedOn = BlockedOn.contains(E);
    C.Dependent = InInstantiation;
    Out.Calls.push_back(std::move(C));
  }

  FunctionFact &fact(const FunctionDecl *FD) {
    std::string Id = id(FD);
    FunctionFact &F = Out.Functions[Id];
    if (F.Id.empty()) {
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
      F.IsConversion = isa<CXXConversionDecl>(Canon);
      F.IsLambda = isLambdaCallOperator(Canon);
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
                     isa<CXXConversionDecl>(Canon) ||
                     Canon->getLiteralIdentifier();
      for (const FunctionDecl *R : Canon->redecls())
        if (!isWritableLoc(R->getLocation()))
          F.DeclaredOutside = true;
      // Private members are reachable only from their class, whose calls
      // the solver sees; everything else a header declares is API.
      F.ExternalApi = Canon->isExternallyVisible() &&
                      Canon->getAccess() != AS_private &&
                      declaredInHeader(Canon);
    }
    return F;
  }

  bool declaredInHeader(const FunctionDecl *FD) {
    for (const FunctionDecl *R : FD->redecls()) {
      SourceLocation Loc = SM.getExpansionLoc(R->getLocation());
      if (SM.getFileID(Loc) != SM.getMainFileID() && isWritableLoc(Loc))
        return true;
    }
    return false;
  }

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
        Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), SM, LO);
    if (C.isInvalid())
      return C;
    SourceLocation Begin = C.getBegin();
    while (std::optional<Token> Prev =
               Lexer::findPreviousToken(Begin, SM, LO, false)) {
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
      return Lexer::getSourceText(Range, SM, LO).str();
    const FunctionDecl *Def = FD->getDefinition();
    QualType Deduced = Def ? Def->getReturnType() : QualType();
    if (Deduced.isNull() || Deduced->isUndeducedType() ||
        Deduced->isDependentType()) {
      Problem = "its deduced return type is not known here";
      if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
          M && isLambdaCallOperator(M) && M->isTemplated())
        DependentResult.insert(M);
      return "";
    }
    PrintingPolicy Policy(LO);
    Policy.SuppressScope = false;
    Policy.FullyQualifiedName = true;
    return TypeName::getFullyQualifiedName(Deduced, Ctx, Policy,
                                           /*WithGlobalNsPrefix=*/false);
  }

  std::string forwardArgs(const FunctionDecl *FD, std::string &Problem) {
    std::string Args;
    for (const ParmVarDecl *P : FD->parameters()) {
      if (!Args.empty())
        Args += ", ";
      if (P->getName().empty()) {
        Problem = "a parameter of its definition has no name";
        return "";
      }
      QualType T = P->getType();
      // A pack `A... a` is handed on as `a...`, its pattern decides how.
      if (const auto *Pack = T->getAs<PackExpansionType>())
        T = Pack->getPattern();
      std::string Pass = P->getName().str();
      // A forwarding reference `S &&s` keeps what the caller passed: an
      // lvalue stays an lvalue.
      QualType Pointee = T->isRValueReferenceType() ? T->getPointeeType()
                                                    : QualType();
      if (!Pointee.isNull() && !Pointee.hasQualifiers() &&
          Pointee->getAs<TemplateTypeParmType>())
        Pass = "std::forward<" + Pointee.getAsString(Ctx.getPrintingPolicy()) +
               ">(" + Pass + ")";
      else if (T->isRValueReferenceType() ||
               (!T->isReferenceType() && T->isRecordType() &&
                !T.isTriviallyCopyableType(Ctx)))
        Pass = "std::move(" + Pass + ")";
      if (P->isParameterPack())
        Pass += "...";
      Args += Pass;
    }
    return Args;
  }

  std::string indentOf(SourceLocation Loc) {
    StringRef Buffer = SM.getBufferData(SM.getFileID(Loc));
    unsigned Offset = SM.getFileOffset(Loc);
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
    FunctionFact &F = fact(Op);
    F.Writable = F.HasDefinition = true;
    F.IsCoroutine = isa<CoroutineBodyStmt>(Op->getBody());
    if (const FunctionDecl *Outer = currentFunction())
      F.Name = "lambda in " + Outer->getQualifiedNameAsString() + "()";
    else
      F.Name = "lambda";
    const CompoundStmt *Body = E->getCompoundStmtBody();
    DeclFact D;
    D.Loc = location(E->getBeginLoc());
    D.IsDefinition = true;
    D.FacadeProblem = "it is a lambda";
    D.Indent = indentOf(SM.getExpansionLoc(E->getBeginLoc()));
    SourceLocation Open = Body->getLBracLoc();
    if (!Open.isFileID() || !isWritableLoc(Open) ||
        !E->getIntroducerRange().getEnd().isFileID()) {
      D.Problem = "it is written by a macro";
    } else if (Op->getTrailingRequiresClause()) {
      D.Problem = "it has a requires-clause";
    } else if (E->hasExplicitResultType()) {
      CharSourceRange RT = returnTypeRange(Op);
      if (RT.isInvalid() || !isWritableLoc(RT.getBegin())) {
        D.Problem = "its return type is written by a macro";
      } else {
        D.ReturnType = anchor(RT);
        D.Result = resultType(Op, RT, D.Problem);
        D.TrailingReturn = true;
      }
    } else {
      D.InsertReturn = true;
      D.ReturnType = anchor(CharSourceRange::getCharRange(Open, Open));
      D.Result = resultType(Op, {}, D.Problem);
      if (!E->hasExplicitParameters()) {
        SourceLocation After =
            E->getIntroducerRange().getEnd().getLocWithOffset(1);
        D.AddParens = anchor(CharSourceRange::getCharRange(After, After));
      }
    }
    F.BodyOpen = SM.getFileOffset(SM.getExpansionLoc(Open)) + 1;
    D.BodyClose = SM.getFileOffset(SM.getExpansionLoc(Body->getRBracLoc()));
    D.Whole.File = pathOf(SM.getExpansionLoc(Open)).str();
    F.Decls.push_back(std::move(D));
  }

  void recordDecl(const FunctionDecl *FD) {
    FunctionFact &F = fact(FD);
    if (const auto *Body = FD->getBody()) {
      F.HasDefinition = true;
      F.Writable = true;
      F.IsCoroutine = isa<CoroutineBodyStmt>(Body);
    }
    // A declaration that returns the task type (a pure virtual one has no
    // body to tell) was converted already.
    if (isTask(FD->getReturnType()))
      F.IsCoroutine = true;
    DeclFact D;
    D.Loc = location(FD->getLocation());
    CharSourceRange RT = returnTypeRange(FD);
    if (RT.isInvalid() || !isWritableLoc(RT.getBegin())) {
      D.Problem = "its return type is written by a macro";
    } else if (QualType R = FD->getReturnType();
               !R->isReferenceType() && R.isLocalConstQualified()) {
      // task<const T> cannot hold its result, and the const is in the
      // text on either side of the type.
      D.Problem = "it returns a const value ('" +
                  R.getAsString(Ctx.getPrintingPolicy()) +
                  "'); drop the const, which only stops callers moving "
                  "from the result";
    } else {
      D.ReturnType = anchor(RT);
      D.Result = resultType(FD, RT, D.Problem);
    }
    if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>())
      D.TrailingReturn = FPT->hasTrailingReturn();
    if (SourceLocation N = FD->getLocation(); N.isFileID())
      D.Name = anchor(CharSourceRange::getCharRange(
          N, N.getLocWithOffset(Lexer::MeasureTokenLength(N, SM, LO))));
    SourceLocation Begin = FD->getBeginLoc();
    if (const FunctionTemplateDecl *T = FD->getDescribedFunctionTemplate())
      Begin = T->getBeginLoc();
    if (const auto *LS = dyn_cast<LinkageSpecDecl>(FD->getLexicalDeclContext());
        LS && LS->getLanguage() == LinkageSpecLanguageIDs::C) {
      if (LS->hasBraces()) {
        D.InExternCBlock = true;
      } else {
        CharSourceRange Prefix = Lexer::makeFileCharRange(
            CharSourceRange::getCharRange(LS->getBeginLoc(), Begin), SM, LO);
        if (Prefix.isValid() && isWritableLoc(Prefix.getBegin()))
          D.LinkagePrefix = anchor(Prefix);
        else
          D.Problem = "its linkage specification is written by a macro";
        Begin = LS->getBeginLoc();
      }
    }
    D.Indent = indentOf(SM.getExpansionLoc(Begin));
    D.IsDefinition = FD->doesThisDeclarationHaveABody();
    std::string P;
    if (D.IsDefinition) {
      const Stmt *Body = FD->getBody();
      if (isa<CXXTryStmt>(Body))
        F.Problem = "its body is a function-try-block";
      else
        F.BodyOpen =
            SM.getFileOffset(SM.getExpansionLoc(Body->getBeginLoc())) + 1;
      CharSourceRange Sig = Lexer::makeFileCharRange(
          CharSourceRange::getCharRange(Begin, Body->getBeginLoc()), SM, LO);
      CharSourceRange Whole = Lexer::makeFileCharRange(
          CharSourceRange::getTokenRange(Begin, Body->getEndLoc()), SM, LO);
      if (Sig.isInvalid() || Whole.isInvalid()) {
        D.Problem = "its definition is written by a macro";
      } else {
        D.Signature = Lexer::getSourceText(Sig, SM, LO).rtrim().str();
        D.Whole = anchor(Whole);
        D.BodyClose = SM.getFileOffset(SM.getExpansionLoc(Body->getEndLoc()));
        D.ForwardArgs = forwardArgs(FD, D.FacadeProblem);
      }
    } else {
      SourceLocation Semi = Lexer::findLocationAfterToken(
          SM.getExpansionLoc(FD->getEndLoc()), tok::semi, SM, LO, false);
      CharSourceRange Whole = Lexer::makeFileCharRange(
          CharSourceRange::getCharRange(Begin, Semi), SM, LO);
      if (Semi.isInvalid() || Whole.isInvalid())
        D.Problem = "its declaration is written by a macro";
      else
        D.Whole = anchor(Whole);
    }
    F.Decls.push_back(std::move(D));
  }

  ASTContext &Ctx;
  SourceManager &SM;
  const LangOptions &LO;
  const ExtractOptions &Opts;
  Facts &Out;
  /// Marks the calls in a subtree as impossible to await, innermost first.
  struct Forbidden {
    Forbidden(Extractor &E, const char *Why) : E(E) {
      E.ForbiddenWhy.push_back(Why);
    }
    ~Forbidden() { E.ForbiddenWhy.pop_back(); }
    Extractor &E;
  };
  std::vector<std::string> ForbiddenWhy;
  /// The calls, returns and variables of a subtree belong to \p FD; what
  /// forbids co_await around a lambda does not reach into its body.
  struct InFunction {
    InFunction(Extractor &E, const FunctionDecl *FD) : E(E) {
      E.Stack.push_back(FD);
      E.CatchDepth.push_back(0);
      Outer.swap(E.ForbiddenWhy);
      OuterLocks.swap(E.Locks);
    }
    ~InFunction() {
      E.Stack.pop_back();
      E.CatchDepth.pop_back();
      Outer.swap(E.ForbiddenWhy);
      OuterLocks.swap(E.Locks);
    }
    Extractor &E;
    std::vector<std::string> Outer;
    std::vector<const VarDecl *> OuterLocks;
  };
  /// Lock variables (std::lock_guard, unique_lock, scoped_lock,
  /// shared_lock) in scope at the current point of the function.
  std::vector<const VarDecl *> Locks;
  std::vector<const FunctionDecl *> Stack;
  /// Catch handlers open around the current point, per function.
  SmallVector<unsigned, 8> CatchDepth = {0};
  DenseSet<const Expr *> Awaited, BlockedOn, CalleeRefs, SpawnedLambdas;
  /// Walking an instantiation of a function template: calls only.
  bool InInstantiation = false;
  /// Local threads that may become spawned tasks, and the uses of them the
  /// rewrite keeps valid.
  DenseMap<const ValueDecl *, ThreadVar> ThreadVars;
  DenseSet<const DeclRefExpr *> ThreadRefs;
  /// Local containers of threads, and range-for variables over them.
  MapVector<const ValueDecl *, ThreadContainer> Containers;
  DenseMap<const ValueDecl *, const ValueDecl *> ElementVars;
  DenseMap<FileID, std::string> WritableFiles;
  DenseMap<const FunctionDecl *, std::string> Ids;
  /// Variables initialised with a task in a coroutine and not used since.
  MapVector<const VarDecl *, Finding> UnusedTasks;
  /// Variables holding a lambda's closure, and its call operator.
  DenseMap<const VarDecl *, const CXXMethodDecl *> ClosureVars;
  /// Lambdas of patterns by where they are written, for their instances;
  /// those whose result type depends on the instantiation.
  DenseMap<SourceLocation, const CXXMethodDecl *> PatternLambdas;
  DenseSet<const CXXMethodDecl *> DependentResult;
};

class ExtractAction : public ASTFrontendAction {
public:
  ExtractAction(const ExtractOptions &Opts, Facts &Out)
      : Opts(Opts), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 StringRef) override {
    return std::make_unique<Consumer>(Opts, Out);
  }

private:
  struct Consumer : ASTConsumer {
    Consumer(const ExtractOptions &Opts, Facts &Out) : Opts(Opts), Out(Out) {}
    void HandleTranslationUnit(ASTContext &Ctx) override {
      Out = extractFromAST(Ctx, Opts);
    }
    const ExtractOptions &Opts;
    Facts &Out;
  };
  const ExtractOptions &Opts;
  Facts &Out;
};

} // namespace

Location locationOf(const SourceManager &SM, SourceLocation Loc) {
  Location L;
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc),
                                    /*UseLineDirectives=*/false);
  if (P.isInvalid())
    return L;
  L.File = P.getFilename();
  L.Line = P.getLine();
  L.Column = P.getColumn();
  return L;
}

Facts extractFromAST(ASTContext &Ctx, const ExtractOptions &Opts) {
  Facts Out;
  // A TU with errors yields no facts: its AST cannot be trusted.
  if (Ctx.getDiagnostics().hasErrorOccurred())
    return Out;
  Extractor(Ctx, Opts, Out).run();
  SourceManager &SM = Ctx.getSourceManager();
  FileManager &FM = SM.getFileManager();
  StringRef MainName = SM.getFileEntryRefForID(SM.getMainFileID())->getName();
  std::string Main = writablePath(FM, *Opts.Writable, MainName);
  if (Main.empty()) {
    recordOutsideCalls(Ctx, *Opts.Writable, Out);
    SmallString<256> Path(MainName);
    FM.getVirtualFileSystem().makeAbsolute(Path);
    Main = realPath(Path);
  }
  std::vector<std::string> &Files = Out.FilesOfTU[Main];
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
    if (std::string W = writablePath(FM, *Opts.Writable, It->first.getName());
        !W.empty())
      Files.push_back(std::move(W));
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  return Out;
}

void resolveLeaves(Facts &F) {
  for (CallFact &C : F.Calls) {
    if (C.LeafName.empty())
      continue;
    auto It = F.Functions.find(C.Callee);
    if (It != F.Functions.end() && It->second.Writable)
      continue; // Defined under the paths: the project's own function.
    C.Callee = "leaf:" + C.LeafName;
    C.CalleeName = C.LeafCallee;
  }
}

Expected<Facts> extractAll(const tooling::CompilationDatabase &DB,
                           ArrayRef<std::string> Files,
                           const ExtractOptions &Opts) {
  Facts All;
  std::vector<Facts> PerTU(Files.size());
  unsigned Done = 0, Failed = 0;
  ParallelRun Run;
  Run.TUs = Files;
  Run.RuntimeIncludeDir = Opts.RuntimeIncludeDir;
  Run.Jobs = Opts.Jobs;
  // Warnings are the user's business, not the analysis's (and -Werror
  // must not fail a TU here).
  Run.ExtraArgs = {"-w"};
  Run.Action = [&](size_t I) -> std::unique_ptr<tooling::FrontendActionFactory> {
    struct Factory : tooling::FrontendActionFactory {
      Factory(const ExtractOptions &Opts, Facts &Out) : Opts(Opts), Out(Out) {}
      std::unique_ptr<FrontendAction> create() override {
        return std::make_unique<ExtractAction>(Opts, Out);
      }
      const ExtractOptions &Opts;
      Facts &Out;
    };
    return std::make_unique<Factory>(Opts, PerTU[I]);
  };
  Run.Finished = [&](size_t I, bool Compiled, StringRef Diags) {
    errs() << Diags;
    if (!Compiled) {
      ++Failed;
      errs() << Files[I] << ": error: this translation unit does not "
             << "compile; nothing was converted\n";
    }
    All.merge(std::move(PerTU[I]));
    ++Done;
    if (Opts.Progress)
      Opts.Progress(Done, Files.size(), Files[I]);
  };
  runInParallel(DB, Run);
  if (Failed)
    return createStringError(inconvertibleErrorCode(),
                             "error: %u translation unit(s) did not compile; "
                             "nothing was written",
                             Failed);
  return All;
}

} // namespace vinyl
