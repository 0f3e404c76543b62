//===- DeclarationText.cpp - What a facade copies or says of a declaration ===//
//
// See DeclarationText.h.
//
//===----------------------------------------------------------------------===//
#include "DeclarationText.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

#include <fmt/format.h>

using namespace clang;
using namespace llvm;

namespace vinyl::extract {

std::string leadingAttributes(const FunctionDecl &FD, SourceLocation Begin,
                              const SourceManager &SM) {
  SourceLocation First;
  for (const Attr *A : FD.attrs()) {
    SourceLocation L = A->getRange().getBegin();
    if (A->isImplicit() || A->isInherited() || !L.isFileID() ||
        !Begin.isFileID() || SM.getFileID(L) != SM.getFileID(Begin) ||
        !SM.isBeforeInTranslationUnit(L, Begin))
      continue;
    if (First.isInvalid() || SM.isBeforeInTranslationUnit(L, First))
      First = L;
  }
  if (First.isInvalid())
    return "";
  StringRef Buffer = SM.getBufferData(SM.getFileID(First));
  unsigned From = SM.getFileOffset(First), To = SM.getFileOffset(Begin);
  StringRef Before = Buffer.take_front(From).rtrim();
  if (Before.ends_with("[["))
    From = Before.size() - 2;
  else if (StringRef Gnu = Before.drop_back(2).rtrim();
           Before.ends_with("((") && Gnu.ends_with("__attribute__"))
    From = Gnu.size() - StringRef("__attribute__").size();
  else
    return "";
  return Buffer.slice(From, To).str();
}

std::string callObject(const FunctionDecl &FD) {
  const auto *M = dyn_cast<CXXMethodDecl>(&FD);
  return M && M->getRefQualifier() == RQ_RValue ? "std::move(*this)." : "";
}

std::string unnameable(QualType T, const ASTContext &Ctx) {
  T = T.getCanonicalType();
  if (const auto *P = T->getAs<PointerType>())
    return unnameable(P->getPointeeType(), Ctx);
  if (const auto *R = T->getAs<ReferenceType>())
    return unnameable(R->getPointeeType(), Ctx);
  if (const auto *A = dyn_cast<ArrayType>(T.getTypePtr()))
    return unnameable(A->getElementType(), Ctx);
  const TagDecl *Tag = T->getAsTagDecl();
  if (!Tag)
    return "";
  std::string Name =
      T.getUnqualifiedType().getAsString(Ctx.getPrintingPolicy());
  if (const auto *RD = dyn_cast<CXXRecordDecl>(Tag); RD && RD->isLambda())
    return "it is a lambda's closure type";
  if (!Tag->getIdentifier() && !Tag->getTypedefNameForAnonDecl())
    return fmt::format("'{}' has no name", Name);
  for (const DeclContext *DC = Tag->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isFunctionOrMethod())
      return fmt::format("'{}' is declared inside a function", Name);
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(Tag))
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
      if (Arg.getKind() == TemplateArgument::Type)
        if (std::string Why = unnameable(Arg.getAsType(), Ctx); !Why.empty())
          return Why;
  return "";
}

} // namespace vinyl::extract
