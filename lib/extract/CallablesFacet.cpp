//===- CallablesFacet.cpp - Functions and closures used as values ---------===//
//
// A call through a pointer, a closure or a function object can only be
// awaited if the tool sees where the callable goes. This facet records
// every place a callable of the paths is used as a value:
//  - a function's address taken, a lambda's closure stored or passed on
//    (a lambda called at once, kept in a variable that is only called, or
//    passed to a function template of the paths that only calls it, stays
//    a plain call);
//  - a function or lambda stored as a callback type named by the rules
//    (its family), the aliases themselves, and calls through them;
//  - objects of the paths' function-object classes handed to code that
//    calls their operator() without awaiting.
// The solver refuses what escapes and converts the families.
//
//===----------------------------------------------------------------------===//
#include "ExtractContext.h"

#include "vinyl-asyncify/facts/Format.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

/// The function type a callback alias names: through pointers, references,
/// parentheses and std::function's one template argument.
FunctionProtoTypeLoc callbackSignature(TypeLoc TL) {
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
             T.getArgLoc(0).getArgument().getKind() == TemplateArgument::Type)
      TL = T.getArgLoc(0).getTypeSourceInfo()->getTypeLoc();
    else
      return {};
  }
  return {};
}

class CallablesFacet : public Facet {
public:
  using Facet::Facet;

  /// A lambda called at once, or stored in a variable that is only ever
  /// called, is called where the rewrite can await it; any other use hands
  /// the closure to code that would drop the task it returns.
  void lambda(const LambdaExpr &E) override {
    const CXXMethodDecl *Op = E.getCallOperator();
    if (isCalledObject(&E, X.Ctx) || X.SpawnedLambdas.contains(&E))
      return;
    const Expr *Child = &E;
    for (;;) {
      DynTypedNodeList Parents = X.Ctx.getParents(*Child);
      if (Parents.empty())
        break;
      if (const auto *VD = Parents[0].get<VarDecl>()) {
        // In a template the variable's `auto` stays undeduced.
        if (VD->getType().getNonReferenceType()->getAsCXXRecordDecl() ==
                E.getLambdaClass() ||
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
    if (!passedToCallingTemplate(&E))
      recordEscape(&E, Op);
  }

  /// A function named other than as a callee has its address taken; a
  /// closure variable named other than to call it lets the lambda escape.
  void declRef(const DeclRefExpr &E) override {
    if (const auto *VD = dyn_cast<VarDecl>(E.getDecl())) {
      auto It = ClosureVars.find(VD);
      if (It != ClosureVars.end() && !isCalledObject(&E, X.Ctx) &&
          !passedToCallingTemplate(&E))
        recordEscape(&E, It->second);
      if (!X.Cfg.CallbackTypes.empty())
        callbackValueUse(&E, VD);
      return;
    }
    const auto *FD = dyn_cast<FunctionDecl>(E.getDecl());
    if (!FD || X.CalleeRefs.contains(&E) || !X.isOurs(FD))
      return;
    CallFact C;
    C.Callee = X.id(FD);
    C.Kind = CallKind::AddressTaken;
    if (!X.Cfg.CallbackTypes.empty()) {
      C.CallbackType = callbackAlias(destinationType(&E));
      if (!C.CallbackType.empty())
        C.CalleeName = X.fileAnchor(SourceRange(E.getLocation()), C.Problem);
    }
    X.recordCall(&E, std::move(C));
  }

  /// `std::unique_ptr<Conn, Closer> p;`: a class template that is not the
  /// paths' holds a function object of the paths and calls it (a deleter,
  /// a comparator, a hash) without awaiting.
  void varDecl(const VarDecl &VD) override {
    functorsInType(VD.getType(), VD.getLocation());
  }
  void fieldDecl(const FieldDecl &FD) override {
    functorsInType(FD.getType(), FD.getLocation());
  }

  /// An alias named by the callback_types rules, declared under the paths:
  /// if a function stored as it reaches I/O, its result becomes a task.
  void typedefNameDecl(const TypedefNameDecl &TD) override {
    std::string Name = TD.getQualifiedNameAsString();
    if (!llvm::is_contained(X.Cfg.CallbackTypes, Name))
      return;
    std::string Id = "callback:" + Name;
    FunctionFact &F = X.Out.Functions[Id];
    F.Id = Id;
    F.Name = Name;
    F.Loc = X.location(TD.getLocation());
    F.IsCallbackType = F.Writable = F.HasDefinition = true;
    DeclFact D;
    D.Loc = F.Loc;
    D.Whole = X.fileAnchor(TD.getSourceRange(), D.Problem);
    FunctionProtoTypeLoc Signature =
        callbackSignature(TD.getTypeSourceInfo()->getTypeLoc());
    if (!Signature) {
      F.Problem = "it is not an alias of a function pointer, function "
                  "reference or std::function type";
      return;
    }
    // Converted already: its targets are coroutines.
    F.IsCoroutine = X.isTask(Signature.getReturnLoc().getType());
    SourceRange Result = Signature.getReturnLoc().getSourceRange();
    D.ReturnType = X.fileAnchor(Result, D.Problem);
    D.Result = Lexer::getSourceText(CharSourceRange::getTokenRange(Result),
                                    X.SM, X.LO)
                   .str();
    F.Decls.push_back(std::move(D));
  }

  /// Takes a call through a callback type; notes function objects handed
  /// to code that is not converted.
  bool call(const CallExpr &CE) override {
    const FunctionDecl *Callee = CE.getDirectCallee();
    if (!Callee) {
      recordCallThrough(CE, CE.getCallee());
      return true;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&CE);
        Op && Op->getOperator() == OO_Call && !X.isOurs(Callee) &&
        recordCallThrough(CE, Op->getArg(0)))
      return true;
    if (!X.inInstantiation() && !X.isOurs(Callee))
      recordFunctorsPassedOn(CE.arguments(), Callee);
    return false;
  }

  void construct(const CXXConstructExpr &E) override {
    const CXXConstructorDecl *Ctor = E.getConstructor();
    if (Ctor && !X.isOurs(Ctor))
      recordFunctorsPassedOn(E.arguments(), Ctor);
  }

  /// In a template's pattern a thread's or a callback's construction is
  /// dependent, so what the address is for is not known.
  void annotate(const Expr &, CallFact &C) override {
    const FunctionDecl *Fn = X.currentFunction();
    if (C.Problem.empty() && C.Kind == CallKind::AddressTaken &&
        C.CallbackType.empty() && Fn && Fn->isTemplated())
      C.Problem = "it is inside a template, where threads and stored "
                  "functions are not followed";
  }

private:
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
      if (llvm::is_contained(X.Cfg.CallbackTypes, Name))
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
      auto Parents = X.Ctx.getParents(Node);
      if (Parents.empty())
        return {};
      const DynTypedNode &P = Parents[0];
      if (const auto *VD = P.get<VarDecl>())
        return VD->getType();
      if (const auto *FD = P.get<FieldDecl>())
        return FD->getType();
      if (P.get<ReturnStmt>()) {
        const FunctionDecl *Fn = X.currentFunction();
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
        if (const clang::ArrayType *AT = X.Ctx.getAsArrayType(List->getType()))
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
    if (Alias.empty() || X.CalleeRefs.contains(E) ||
        isCalledObject(E, X.Ctx) || callbackAlias(destinationType(E)) == Alias ||
        testedOrAssigned(E))
      return;
    CallFact C;
    C.Callee = std::move(Alias);
    C.Kind = CallKind::AddressTaken;
    X.recordCall(E, std::move(C));
  }

  /// `if (h)`, `!h`, `h == nullptr`, `h = g`.
  bool testedOrAssigned(const Expr *E) {
    const Expr *Child = E;
    for (;;) {
      DynTypedNodeList Parents = X.Ctx.getParents(*Child);
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
  bool recordCallThrough(const CallExpr &CE, const Expr *Object) {
    if (X.Cfg.CallbackTypes.empty())
      return false;
    std::string Alias = callbackAlias(Object->IgnoreParenImpCasts()->getType());
    if (Alias.empty())
      return false;
    CallFact C;
    C.Callee = std::move(Alias);
    X.recordCall(&CE, std::move(C));
    return true;
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
      for (CallFact &C : handedOn(
               Class, fmt::format("it is handed to '{}', which calls it "
                                  "without awaiting",
                                  Taker->getQualifiedNameAsString())))
        X.recordCall(Arg, std::move(C));
    }
  }

  /// One fact per call operator of \p Class under the paths: an object
  /// of it goes where \p Why says, to be called without awaiting.
  std::vector<CallFact> handedOn(const CXXRecordDecl *Class,
                                 const std::string &Why) {
    std::vector<CallFact> Out;
    for (const NamedDecl *ND :
         Class->lookup(X.Ctx.DeclarationNames.getCXXOperatorName(OO_Call))) {
      const auto *Op = dyn_cast<CXXMethodDecl>(ND);
      if (!Op || !X.isOurs(Op))
        continue;
      CallFact &C = Out.emplace_back();
      C.Callee = X.id(Op);
      C.Kind = CallKind::AddressTaken;
      C.Problem = Why;
    }
    return Out;
  }

  void functorsInType(QualType T, SourceLocation Loc) {
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        T.getNonReferenceType()->getAsCXXRecordDecl());
    if (!Spec || X.isWritableLoc(Spec->getSpecializedTemplate()->getLocation()))
      return;
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray()) {
      if (Arg.getKind() != TemplateArgument::Type)
        continue;
      const CXXRecordDecl *Class = Arg.getAsType()->getAsCXXRecordDecl();
      if (!Class || !Class->hasDefinition())
        continue;
      for (CallFact &C : handedOn(
               Class, fmt::format("it is called by '{}', which does not "
                                  "await its result",
                                  Spec->getSpecializedTemplate()
                                      ->getQualifiedNameAsString())))
        X.recordUse(Loc, std::move(C));
    }
  }

  /// A closure stored or passed on. Stored as a callback type, the lambda
  /// joins that type's family like a named function (it has no name to
  /// rename, so it never keeps a facade).
  /// Whether \p E is an argument of a function template of the paths
  /// (`handle_EINTR([&] { return recv(...); })`) whose parameter, of a
  /// template type, is only ever called in its body: the closure does not
  /// escape, and the template's instantiation calls it where the rewrite
  /// can await it (a dependent call, so the template and the lambdas it is
  /// given convert as one family).
  bool passedToCallingTemplate(const Expr *E) {
    const Expr *Arg;
    const auto *Call = dyn_cast_or_null<CallExpr>(
        skipImplicitParents(E, X.Ctx, Arg));
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    const FunctionTemplateDecl *Primary =
        Callee ? Callee->getPrimaryTemplate() : nullptr;
    if (!Primary || !X.isOurs(Callee))
      return false;
    const FunctionDecl *Pattern = Primary->getTemplatedDecl();
    unsigned Shift = isa<CXXOperatorCallExpr>(Call) &&
                     isa<CXXMethodDecl>(Callee);
    for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
      if (Call->getArg(I) != Arg)
        continue;
      if (I - Shift >= Pattern->getNumParams() || !Pattern->hasBody())
        return false;
      const ParmVarDecl *Param = Pattern->getParamDecl(I - Shift);
      if (!Param->getType().getNonReferenceType()->getAs<TemplateTypeParmType>())
        return false;
      return onlyCalled(Pattern->getBody(), Param);
    }
    return false;
  }

  /// Whether every use of \p Param in \p S calls it.
  bool onlyCalled(const Stmt *S, const ParmVarDecl *Param) {
    if (!S)
      return true;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S);
        Ref && Ref->getDecl() == Param)
      return isCalledObject(Ref, X.Ctx);
    for (const Stmt *Child : S->children())
      if (!onlyCalled(Child, Param))
        return false;
    return true;
  }

  void recordEscape(const Expr *E, const CXXMethodDecl *Op) {
    CallFact C;
    C.Callee = X.id(Op);
    C.Kind = CallKind::AddressTaken;
    if (!X.Cfg.CallbackTypes.empty())
      C.CallbackType = callbackAlias(destinationType(E));
    X.recordCall(E, std::move(C));
  }

  /// Variables holding a lambda's closure, and its call operator.
  DenseMap<const VarDecl *, const CXXMethodDecl *> ClosureVars;
};

} // namespace

std::unique_ptr<Facet> makeCallablesFacet(ExtractContext &X) {
  return std::make_unique<CallablesFacet>(X);
}

} // namespace vinyl::extract
