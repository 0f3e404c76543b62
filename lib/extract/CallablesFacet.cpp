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
#include "CallbackTypes.h"

#include "vinyl-asyncify/facts/Format.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace llvm;

namespace vinyl::extract {
namespace {

class CallablesFacet : public Facet {
public:
  using Facet::Facet;

  /// A lambda called at once, or stored in a variable that is only ever
  /// called, is called where the rewrite can await it; any other use hands
  /// the closure to code that would drop the task it returns.
  void lambda(const LambdaExpr &E) override {
    const CXXMethodDecl *Op = E.getCallOperator();
    if (isCalledObject(&E, X.Ctx) || X.SpawnedCallables.contains(&E))
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
      callbackValueUse(&E, VD);
      return;
    }
    const auto *FD = dyn_cast<FunctionDecl>(E.getDecl());
    if (!FD || X.CalleeRefs.contains(&E))
      return;
    if (!X.isOurs(FD)) {
      // It cannot become a coroutine, so a family it is stored as cannot.
      taintIfStored(&E, fmt::format("'{}', declared outside the paths, is "
                                    "stored as it",
                                    FD->getQualifiedNameAsString()));
      return;
    }
    CallFact C;
    C.Callee = X.id(FD);
    C.Kind = CallKind::AddressTaken;
    C.CallbackType = familyAt(&E);
    if (!C.CallbackType.empty())
      C.CalleeName = X.fileAnchor(SourceRange(E.getLocation()), C.Problem);
    else if (X.ForbiddenWhy.empty())
      C.Problem = Types.ruleHint(&E);
    X.recordCall(&E, std::move(C));
  }

  /// A function pointer value stored in a place of an automatic family
  /// must come from the paths: a function of them (recorded where it is
  /// named), a lambda, or a place of the family. A cast, another
  /// library's result or a place of another type could hold any function,
  /// which would be called as a coroutine.
  void expr(const Expr &E) override {
    if (isa<ImplicitCastExpr, ParenExpr, ConditionalOperator>(E) ||
        !isFunctionPointer(E.getType()))
      return;
    if (const auto *Unary = dyn_cast<UnaryOperator>(&E);
        Unary && Unary->getOpcode() == UO_AddrOf)
      return;
    if (const auto *Conversion = dyn_cast<CXXMemberCallExpr>(&E);
        Conversion && isa_and_nonnull<CXXConversionDecl>(
                          Conversion->getMethodDecl()) &&
        Conversion->getRecordDecl() && Conversion->getRecordDecl()->isLambda())
      return;
    std::string Family = familyAt(&E);
    if (Family.empty() || !Types.isAutomatic(Family) ||
        (!isa<ExplicitCastExpr>(E) && Types.familyOf(&E) == Family))
      return;
    taint(&E, Family, "a value the tool cannot follow to the paths is "
                      "stored as it");
  }

  /// A field of a callback type used as a value.
  void memberExpr(const MemberExpr &E) override {
    if (const auto *FD = dyn_cast<FieldDecl>(E.getMemberDecl()))
      callbackValueUse(&E, FD);
  }

  /// A function of the paths whose result is of a callback type.
  void functionDecl(const FunctionDecl &FD) override { Types.slot(FD); }

  /// `std::unique_ptr<Conn, Closer> p;`: a class template that is not the
  /// paths' holds a function object of the paths and calls it (a deleter,
  /// a comparator, a hash) without awaiting.
  void varDecl(const VarDecl &VD) override {
    functorsInType(VD.getType(), VD.getLocation());
    Types.slot(VD);
  }
  void fieldDecl(const FieldDecl &FD) override {
    functorsInType(FD.getType(), FD.getLocation());
    Types.slot(FD);
  }

  /// An alias named by the callback_types rules, or a std::function alias
  /// declared under the paths: if a function stored as it reaches I/O, its
  /// result becomes a task.
  void typedefNameDecl(const TypedefNameDecl &TD) override { Types.alias(TD); }

  /// Takes a call through a callback type; notes function objects handed
  /// to code that is not converted.
  bool call(const CallExpr &CE) override {
    const FunctionDecl *Callee = CE.getDirectCallee();
    if (!Callee) {
      recordCallThrough(CE, CE.getCallee());
      return true;
    }
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(&CE);
    if (Op && Op->getOperator() == OO_Call && !X.isOurs(Callee) &&
        recordCallThrough(CE, Op->getArg(0)))
      return true;
    if (Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        isStdFunction(Op->getArg(0)->getType()))
      taintIfForeign(Op->getArg(1));
    else if (!Op && !CE.isGLValue() && isStdFunction(CE.getType()))
      // A std::function result initialising a place of a family directly.
      taintIfForeign(&CE);
    if (!X.inInstantiation() && !X.isOurs(Callee))
      recordFunctorsPassedOn(CE.arguments(), Callee);
    return false;
  }

  void construct(const CXXConstructExpr &E) override {
    const CXXConstructorDecl *Ctor = E.getConstructor();
    if (Ctor && !X.isOurs(Ctor))
      recordFunctorsPassedOn(E.arguments(), Ctor);
    if (E.getNumArgs() == 1 && isStdFunction(E.getType()))
      taintIfForeign(E.getArg(0));
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
  /// The family of the place the value \p E goes to, or "".
  std::string familyAt(const Expr *E) const {
    Destination D = Types.destination(E);
    return Types.family(D.Type, D.Slot);
  }

  /// A value stored in a place of an automatic family that the tool cannot
  /// tell comes from the paths (a std::function a library returned, a
  /// function object): the family keeps its type (see
  /// settleAutomaticFamilies). \p E is the value a std::function is
  /// constructed or assigned from, or one that initialises it directly.
  void taintIfForeign(const Expr *E) {
    const Expr *Value = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Unary = dyn_cast<UnaryOperator>(Value);
        Unary && Unary->getOpcode() == UO_AddrOf)
      Value = Unary->getSubExpr()->IgnoreParens();
    // Functions and lambdas are recorded where they are named; nullptr
    // holds nothing.
    if (isa<LambdaExpr, CXXNullPtrLiteralExpr, GNUNullExpr>(Value))
      return;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Value);
        Ref && isa<FunctionDecl>(Ref->getDecl()))
      return;
    Destination D = Types.destination(E);
    std::string Family = Types.family(D.Type, D.Slot);
    if (Family.empty() || !Types.isAutomatic(Family) ||
        Types.familyOf(E) == Family)
      return;
    taint(E, Family, "a value the tool cannot follow to the paths is "
                     "stored as it");
  }

  /// \p E, a function of another library, stored as an automatic family.
  void taintIfStored(const Expr *E, std::string Why) {
    std::string Family = familyAt(E);
    if (!Family.empty() && Types.isAutomatic(Family))
      taint(E, Family, std::move(Why));
  }

  void taint(const Expr *E, const std::string &Family, std::string Why) {
    CallFact C;
    C.Callee = Family;
    C.Kind = CallKind::AddressTaken;
    C.Problem = std::move(Why);
    X.recordCall(E, std::move(C));
  }

  /// A variable or parameter declared as a callback alias, used other than
  /// by calling it, storing it as the same alias, testing it or assigning
  /// to it: it is handed to code that would drop the task a call returns
  /// (a std::thread, an algorithm, a std::function of the old type).
  void callbackValueUse(const Expr *E, const ValueDecl *VD) {
    if (!Types.containerElement(VD).isNull())
      return containerUse(E, VD);
    valueUse(E, Types.family(VD->getType(), VD));
  }

  /// A value of family \p Alias (or of no family) used as callbackValueUse
  /// says.
  void valueUse(const Expr *E, std::string Alias) {
    const Expr *Child;
    const auto *Call =
        dyn_cast_or_null<CallExpr>(skipImplicitParents(E, X.Ctx, Child));
    if (Alias.empty() || isCalledObject(E, X.Ctx) ||
        (Call && Call->getCallee() == Child) ||
        (isa<DeclRefExpr>(E) && X.CalleeRefs.contains(cast<DeclRefExpr>(E))) ||
        familyAt(E) == Alias || testedOrAssigned(E))
      return;
    CallFact C;
    C.Callee = std::move(Alias);
    C.Kind = CallKind::AddressTaken;
    X.recordCall(E, std::move(C));
  }

  /// A container of a family's values named (`jobs_`): adding to it,
  /// taking one of its elements (a value of the family, judged as any
  /// other), dropping elements or asking its size keep every value it
  /// holds in view. Iterating over it, passing it on or anything else
  /// could call them without awaiting: the family keeps its type.
  void containerUse(const Expr *E, const ValueDecl *VD) {
    std::string Family = Types.family(Types.containerElement(VD), VD);
    if (Family.empty())
      return;
    static constexpr StringRef Kept[] = {
        "push_back", "emplace_back", "push_front",    "emplace_front",
        "push",      "emplace",      "pop_back",      "pop_front",
        "pop",       "size",         "empty",         "clear",
        "reserve",   "capacity",     "shrink_to_fit", "max_size"};
    const Expr *Child;
    const Stmt *P = skipImplicitParents(E, X.Ctx, Child);
    if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(P);
        Op && Op->getOperator() == OO_Subscript && Op->getArg(0) == Child)
      return valueUse(Op, Family);
    if (const auto *Member = dyn_cast_or_null<MemberExpr>(P)) {
      const Expr *Callee;
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(
          skipImplicitParents(Member, X.Ctx, Callee));
      const auto *M =
          Call ? dyn_cast_or_null<CXXMethodDecl>(Member->getMemberDecl())
               : nullptr;
      if (M && M->getIdentifier() && llvm::is_contained(Kept, M->getName()))
        return;
      if (M && Types.elementOf(Call) == VD)
        return valueUse(Call, Family);
    }
    CallFact C;
    C.Callee = Family;
    C.Kind = CallKind::AddressTaken;
    C.Problem = "'" + VD->getNameAsString() +
                "', a container of it, is used other than to add, take or "
                "drop its elements";
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
    std::string Alias = Types.familyOf(Object);
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
      if (X.SpawnedCallables.contains(Arg->IgnoreImplicit()))
        continue; // A thread runs it, as a spawned task.
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
    C.CallbackType = familyAt(E);
    X.recordCall(E, std::move(C));
  }

  /// Variables holding a lambda's closure, and its call operator.
  DenseMap<const VarDecl *, const CXXMethodDecl *> ClosureVars;
  CallbackTypes Types{X};
};

} // namespace

std::unique_ptr<Facet> makeCallablesFacet(ExtractContext &X) {
  return std::make_unique<CallablesFacet>(X);
}

} // namespace vinyl::extract
