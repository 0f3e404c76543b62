//===- CallbackTypes.cpp - Which callback family a value belongs to -------===//
//
// Families by name come from the rules (callback_types) and from
// std::function aliases declared under the paths; families by place come
// from std::function types written inline in the paths' declarations,
// where the family is the type and each declaration writing it is one
// place of it. A type's sugar says which alias a value was declared as;
// an inline type carries no name, so a value belongs to its family only
// when the tool sees it held by one of those places (a variable, a
// parameter, a field, a function's result).
//
//===----------------------------------------------------------------------===//
#include "CallbackTypes.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Lex/Lexer.h"

#include <fmt/format.h>

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

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

bool isStdFunction(QualType T) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.isNull() ? nullptr : T.getNonReferenceType()->getAsCXXRecordDecl());
  return Spec && Spec->isInStdNamespace() && Spec->getIdentifier() &&
         Spec->getName() == "function";
}

bool isFunctionPointer(QualType T) {
  if (T.isNull())
    return false;
  if (const auto *P = T->getAs<PointerType>())
    return P->getPointeeType()->isFunctionProtoType();
  if (const auto *R = T->getAs<ReferenceType>())
    return R->getPointeeType()->isFunctionProtoType();
  return false;
}

namespace {

/// The type a declaration writes: a variable's, parameter's or field's,
/// or a function's result.
TypeLoc writtenType(const Decl *D) {
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(D)) {
    FunctionTypeLoc FTL = FD->getFunctionTypeLoc();
    return FTL ? FTL.getReturnLoc() : TypeLoc();
  }
  const auto *DD = dyn_cast_or_null<DeclaratorDecl>(D);
  TypeSourceInfo *TSI = DD ? DD->getTypeSourceInfo() : nullptr;
  return TSI ? TSI->getTypeLoc() : TypeLoc();
}

/// The function whose parameter or result \p D is, if any.
const FunctionDecl *ownerOf(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD;
  if (isa<ParmVarDecl>(D))
    return dyn_cast<FunctionDecl>(D->getDeclContext());
  return nullptr;
}

/// `std::move(h)` or `std::forward<H>(h)`: hands h on as it is.
bool isMoveOrForward(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  return Callee && Callee->isInStdNamespace() && Callee->getIdentifier() &&
         (Callee->getName() == "move" || Callee->getName() == "forward") &&
         Call.getNumArgs() == 1;
}

/// \p E without what only passes its value on: parentheses, implicit
/// nodes, std::move and std::forward, a copy or move of it.
const Expr *passedValue(const Expr *E) {
  for (;;) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Call = dyn_cast<CallExpr>(E);
        Call && isMoveOrForward(*Call)) {
      E = Call->getArg(0);
      continue;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
        Construct && Construct->getNumArgs() == 1 &&
        Construct->getConstructor()->isCopyOrMoveConstructor()) {
      E = Construct->getArg(0);
      continue;
    }
    return E;
  }
}

/// `std::vector<T>`, `std::deque<T>`, `std::list<T>`, `std::queue<T>`,
/// ... written with its element type only: that element's TypeLoc.
TypeLoc sequenceElement(TypeLoc TL) {
  static constexpr StringRef Sequences[] = {
      "vector", "deque", "list", "forward_list", "queue", "stack"};
  auto T = TL ? TL.getUnqualifiedLoc().getAs<TemplateSpecializationTypeLoc>()
              : TemplateSpecializationTypeLoc();
  const auto *Spec = T ? dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                             T.getType()->getAsCXXRecordDecl())
                       : nullptr;
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      !llvm::is_contained(Sequences, Spec->getName()) || T.getNumArgs() != 1 ||
      T.getArgLoc(0).getArgument().getKind() != TemplateArgument::Type)
    return {};
  return T.getArgLoc(0).getTypeSourceInfo()->getTypeLoc();
}

/// The declaration \p E names: a variable or a field.
const Decl *namedSlot(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(Ref->getDecl());
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    return dyn_cast<FieldDecl>(Member->getMemberDecl());
  return nullptr;
}

} // namespace

QualType CallbackTypes::containerElement(const Decl *Slot) const {
  if (!Slot || isa<FunctionDecl>(Slot))
    return QualType();
  TypeLoc TL = writtenType(Slot);
  if (auto R = TL ? TL.getUnqualifiedLoc().getAs<ReferenceTypeLoc>()
                  : ReferenceTypeLoc())
    TL = R.getPointeeLoc();
  TypeLoc Element = sequenceElement(TL);
  if (!Element || Element.getType()->isDependentType() ||
      (!isStdFunction(Element.getType()) &&
       !isFunctionPointer(Element.getType())))
    return QualType();
  return Element.getType();
}

const Decl *CallbackTypes::elementOf(const Expr *E) const {
  E = E->IgnoreParenImpCasts();
  const Expr *Object = nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Subscript)
      Object = Op->getArg(0);
  } else if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = Call->getMethodDecl();
    if (M && M->getIdentifier() &&
        (M->getName() == "front" || M->getName() == "back" ||
         M->getName() == "at" || M->getName() == "top"))
      Object = Call->getImplicitObjectArgument();
  }
  const Decl *Slot = Object ? namedSlot(Object) : nullptr;
  return Slot && !containerElement(Slot).isNull() ? Slot : nullptr;
}

std::string CallbackTypes::aliasFamily(const TypedefNameDecl *TD) const {
  std::string Name = TD->getQualifiedNameAsString();
  if (llvm::is_contained(X.Cfg.CallbackTypes, Name))
    return "callback:" + Name;
  if (X.Cfg.AutomaticCallbackTypes &&
      (isStdFunction(TD->getUnderlyingType()) ||
       isFunctionPointer(TD->getUnderlyingType())) &&
      !TD->getUnderlyingType()->isDependentType() &&
      X.isWritableLoc(TD->getLocation()) &&
      callbackSignature(TD->getTypeSourceInfo()->getTypeLoc()))
    return "callback:" + Name;
  return "";
}

bool CallbackTypes::isAutomatic(StringRef Id) const {
  return Id.consume_front("callback:") &&
         !llvm::is_contained(X.Cfg.CallbackTypes, Id.str());
}

std::string CallbackTypes::inlineId(QualType T) const {
  PrintingPolicy Policy = X.Ctx.getPrintingPolicy();
  Policy.SuppressTagKeyword = true;
  return "callback:" +
         T.getNonReferenceType().getCanonicalType().getUnqualifiedType()
             .getAsString(Policy);
}

FunctionProtoTypeLoc CallbackTypes::inlineSignature(const Decl *Slot,
                                                    TypeLoc &Whole) const {
  TypeLoc TL = writtenType(Slot);
  while (TL) {
    TL = TL.getUnqualifiedLoc();
    auto R = TL.getAs<ReferenceTypeLoc>();
    if (!R)
      break;
    TL = R.getPointeeLoc();
  }
  // A container's elements (see containerElement).
  if (!containerElement(Slot).isNull())
    TL = sequenceElement(TL).getUnqualifiedLoc();
  // A function pointer written out (`int (*f)(int)`).
  if (TL && !TL.getType()->isDependentType() &&
      isFunctionPointer(TL.getType()) &&
      !TL.getType()->getAs<TypedefType>())
    if (FunctionProtoTypeLoc Signature = callbackSignature(TL)) {
      Whole = TL;
      return Signature;
    }
  auto T = TL ? TL.getAs<TemplateSpecializationTypeLoc>()
              : TemplateSpecializationTypeLoc();
  if (!T || T.getType()->isDependentType() || !isStdFunction(T.getType()) ||
      T.getNumArgs() != 1 ||
      T.getArgLoc(0).getArgument().getKind() != TemplateArgument::Type)
    return {};
  Whole = T;
  return T.getArgLoc(0)
      .getTypeSourceInfo()
      ->getTypeLoc()
      .getUnqualifiedLoc()
      .getAs<FunctionProtoTypeLoc>();
}

std::string CallbackTypes::family(QualType T, const Decl *Slot) const {
  if (T.isNull())
    return "";
  T = T.getNonReferenceType();
  for (QualType U = T; !U.isNull();) {
    const auto *TT = U->getAs<TypedefType>();
    if (!TT)
      break;
    if (std::string Id = aliasFamily(TT->getDecl()); !Id.empty())
      return Id;
    U = TT->desugar();
  }
  // std::function<Alias> of a function type the rules name.
  if (const auto *TST = T->getAs<TemplateSpecializationType>();
      TST && isStdFunction(T) && TST->template_arguments().size() == 1 &&
      TST->template_arguments()[0].getKind() == TemplateArgument::Type)
    if (const auto *TT =
            TST->template_arguments()[0].getAsType()->getAs<TypedefType>();
        TT && llvm::is_contained(X.Cfg.CallbackTypes,
                                 TT->getDecl()->getQualifiedNameAsString()))
      return "callback:" + TT->getDecl()->getQualifiedNameAsString();
  TypeLoc Whole;
  if (X.Cfg.AutomaticCallbackTypes && Slot &&
      X.isWritableLoc(Slot->getLocation()) &&
      inlineSignature(Slot, Whole) &&
      X.Ctx.hasSameUnqualifiedType(T, Whole.getType().getNonReferenceType()))
    return inlineId(T);
  return "";
}

std::string CallbackTypes::familyOf(const Expr *E) const {
  E = passedValue(E);
  if (const Decl *Container = elementOf(E))
    return family(containerElement(Container), Container);
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl()))
      return family(VD->getType(), VD);
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    if (const auto *FD = dyn_cast<FieldDecl>(Member->getMemberDecl()))
      return family(FD->getType(), FD);
  if (const auto *Call = dyn_cast<CallExpr>(E);
      Call && !isa<CXXOperatorCallExpr>(Call))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      return family(Callee->getReturnType(), Callee);
  return family(E->getType(), nullptr);
}

void CallbackTypes::addPlace(const std::string &Id, const std::string &Name,
                             SourceLocation Loc, SourceRange Range,
                             FunctionProtoTypeLoc Signature, bool Automatic) {
  FunctionFact &F = X.Out.Functions[Id];
  F.Id = Id;
  if (F.Name.empty())
    F.Name = Name;
  if (!F.Loc.valid())
    F.Loc = X.location(Loc);
  F.IsCallbackType = F.Writable = F.HasDefinition = true;
  F.AutoCallbackType = Automatic;
  DeclFact D;
  D.Loc = X.location(Loc);
  D.Whole = X.fileAnchor(Range, D.Problem);
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
  for (const DeclFact &Seen : F.Decls)
    if (Seen.ReturnType == D.ReturnType)
      return;
  F.Decls.push_back(std::move(D));
}

void CallbackTypes::alias(const TypedefNameDecl &TD) {
  std::string Id = aliasFamily(&TD);
  if (Id.empty())
    return;
  std::string Name = TD.getQualifiedNameAsString();
  addPlace(Id, Name, TD.getLocation(), TD.getSourceRange(),
           callbackSignature(TD.getTypeSourceInfo()->getTypeLoc()),
           !llvm::is_contained(X.Cfg.CallbackTypes, Name));
}

void CallbackTypes::slot(const DeclaratorDecl &D) {
  if (X.inInstantiation() || D.getDeclContext()->isDependentContext() ||
      !X.isWritableLoc(D.getLocation()))
    return;
  QualType T = isa<FunctionDecl>(D) ? cast<FunctionDecl>(D).getReturnType()
                                    : D.getType();
  if (QualType Element = containerElement(&D); !Element.isNull())
    T = Element;
  std::string Id = family(T, &D);
  if (Id.empty() || !isAutomatic(Id))
    return;
  TypeLoc Whole;
  if (FunctionProtoTypeLoc Signature = inlineSignature(&D, Whole);
      Signature && Id == inlineId(T))
    // Named as first written, not as the canonical type prints
    // (std::basic_string<char>); a function pointer's declarator holds
    // the name, so it is named by its type.
    addPlace(Id,
             isFunctionPointer(Whole.getType())
                 ? StringRef(Id).drop_front(strlen("callback:")).str()
                 : Lexer::getSourceText(
                       CharSourceRange::getTokenRange(Whole.getSourceRange()),
                       X.SM, X.LO)
                       .str(),
             D.getLocation(), Whole.getSourceRange(), Signature, true);
    X.Out.Functions[Id].WrittenInline = true;
  if (const FunctionDecl *Owner = ownerOf(&D); Owner && X.isOurs(Owner)) {
    std::vector<std::string> &Owners = X.Out.Functions[Id].SlotOwners;
    std::string OwnerId = X.id(Owner);
    if (!llvm::is_contained(Owners, OwnerId))
      Owners.push_back(std::move(OwnerId));
  }
}

std::string CallbackTypes::ruleHint(const Expr *E) const {
  QualType T = destination(E).Type;
  if (T.isNull() || (!isStdFunction(T) && !isFunctionPointer(T)))
    return "";
  T = T.getNonReferenceType();
  // The alias the type is written with: itself, std::function's signature
  // or a pointer's pointee.
  const TypedefType *Alias = T->getAs<TypedefType>();
  if (const auto *TST = T->getAs<TemplateSpecializationType>();
      !Alias && TST && TST->template_arguments().size() == 1 &&
      TST->template_arguments()[0].getKind() == TemplateArgument::Type)
    Alias = TST->template_arguments()[0].getAsType()->getAs<TypedefType>();
  if (const auto *P = T->getAs<PointerType>(); !Alias && P)
    Alias = P->getPointeeType()->getAs<TypedefType>();
  if (!Alias)
    return "";
  return fmt::format("its type '{}' forms no callback family; "
                     "`callback_types: [{}]` in .vinyl.yaml would convert it "
                     "with the functions stored in it",
                     T.getAsString(X.Ctx.getPrintingPolicy()),
                     Alias->getDecl()->getQualifiedNameAsString());
}

Destination CallbackTypes::destination(const Expr *E) const {
  DynTypedNode Node = DynTypedNode::create(*E);
  // The declaration an assignment's left side names.
  auto Named = [this](const Expr *LHS) -> const Decl * {
    if (const Decl *Container = elementOf(LHS))
      return Container;
    LHS = LHS->IgnoreParenImpCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(LHS))
      return Ref->getDecl();
    if (const auto *Member = dyn_cast<MemberExpr>(LHS))
      return Member->getMemberDecl();
    return nullptr;
  };
  for (;;) {
    auto Parents = X.Ctx.getParents(Node);
    if (Parents.empty())
      return {};
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>())
      return {VD->getType(), VD};
    if (const auto *FD = P.get<FieldDecl>())
      return {FD->getType(), FD};
    // A member initialiser's parent is its constructor.
    if (const auto *Ctor = P.get<CXXConstructorDecl>()) {
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (const FieldDecl *Member = Init->getMember();
            Member && Init->getInit() == Node.get<Expr>())
          return {Member->getType(), Member};
      return {};
    }
    if (P.get<ReturnStmt>()) {
      const FunctionDecl *Fn = X.currentFunction();
      return Fn ? Destination{Fn->getReturnType(), Fn} : Destination{};
    }
    const auto *PE = P.get<Expr>();
    const Expr *Child = Node.get<Expr>();
    if (!PE || !Child)
      return {};
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(PE))
      return {Cast->getTypeAsWritten(), nullptr};
    const auto *Unary = dyn_cast<UnaryOperator>(PE);
    // A captureless lambda converted to a function pointer.
    const auto *Conversion = dyn_cast<CXXMemberCallExpr>(PE);
    const auto *Construct = dyn_cast<CXXConstructExpr>(PE);
    // A value converted to the type that holds it (std::function from a
    // function), or copied or moved; a constructor of another class takes
    // it as a parameter (below).
    bool Converted = Construct && Construct->getNumArgs() == 1 &&
                     (Construct->getConstructor()->isCopyOrMoveConstructor() ||
                      isStdFunction(Construct->getType()));
    // Either branch of `c ? f : g` goes where the conditional goes.
    const auto *Conditional = dyn_cast<ConditionalOperator>(PE);
    bool Branch = Conditional && Conditional->getCond() != Child;
    if (isa<MemberExpr>(PE) || Branch ||
        (Conversion &&
         isa_and_nonnull<CXXConversionDecl>(Conversion->getMethodDecl())) ||
        isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr,
            CXXBindTemporaryExpr, ExprWithCleanups>(PE) ||
        (Unary && Unary->getOpcode() == UO_AddrOf) || Converted) {
      Node = P;
      continue;
    }
    if (const auto *List = dyn_cast<InitListExpr>(PE)) {
      if (const clang::ArrayType *AT = X.Ctx.getAsArrayType(List->getType()))
        return {AT->getElementType(), nullptr};
      const RecordDecl *RD = List->getType()->getAsRecordDecl();
      if (!RD)
        return {};
      unsigned I = 0;
      for (const FieldDecl *Field : RD->fields()) {
        if (I < List->getNumInits() && List->getInit(I) == Child)
          return {Field->getType(), Field};
        ++I;
      }
      return {};
    }
    if (const auto *Assign = dyn_cast<BinaryOperator>(PE))
      return Assign->getOpcode() == BO_Assign && Assign->getRHS() == Child
                 ? Destination{Assign->getLHS()->getType(),
                               Named(Assign->getLHS())}
                 : Destination{};
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PE))
      // `callback = f` on a class type (std::function).
      return Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
                     Op->getArg(1) == Child
                 ? Destination{Op->getArg(0)->getType(), Named(Op->getArg(0))}
                 : Destination{};
    if (const auto *Call = dyn_cast<CallExpr>(PE)) {
      if (isMoveOrForward(*Call)) {
        Node = P;
        continue;
      }
      // `jobs_.push_back(f)`: an element of the container.
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
        static constexpr StringRef Adds[] = {"push_back",     "emplace_back",
                                             "push_front",    "emplace_front",
                                             "push",          "emplace"};
        const CXXMethodDecl *M = Member->getMethodDecl();
        const Decl *Container =
            namedSlot(Member->getImplicitObjectArgument());
        QualType Element = containerElement(Container);
        if (M && M->getIdentifier() &&
            llvm::is_contained(Adds, M->getName()) && !Element.isNull())
          return {Element, Container};
      }
      const FunctionDecl *Callee = Call->getDirectCallee();
      for (unsigned I = 0; Callee && I < Call->getNumArgs(); ++I)
        if (Call->getArg(I) == Child && I < Callee->getNumParams())
          return {Callee->getParamDecl(I)->getType(),
                  Callee->getParamDecl(I)};
      return {};
    }
    if (Construct) {
      const CXXConstructorDecl *Ctor = Construct->getConstructor();
      for (unsigned I = 0; Ctor && I < Construct->getNumArgs(); ++I)
        if (Construct->getArg(I) == Child && I < Ctor->getNumParams())
          return {Ctor->getParamDecl(I)->getType(), Ctor->getParamDecl(I)};
      return {};
    }
    return {};
  }
}

} // namespace vinyl::extract
