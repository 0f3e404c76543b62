//===- CallbackTypes.h - Which callback family a value belongs to -*- C++ -*-===//
//
// A callback family is a type that holds functions (a function pointer or
// std::function alias named by the rules' callback_types, a std::function
// alias declared under the paths, or a std::function type written inline
// in the paths' declarations) together with every function stored as it.
// If one member reaches I/O, the type's result becomes a task and every
// member a coroutine. This file says which family a type, a place or a
// value belongs to; CallablesFacet records what flows where.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_EXTRACT_CALLBACKTYPES_H
#define VINYL_ASYNCIFY_EXTRACT_CALLBACKTYPES_H

#include "ExtractContext.h"

#include "clang/AST/TypeLoc.h"

#include <string>

namespace vinyl::extract {

/// The function type a callback alias or a std::function names: through
/// pointers, references, parentheses and std::function's one template
/// argument.
clang::FunctionProtoTypeLoc callbackSignature(clang::TypeLoc TL);

/// Whether \p T (through a reference) is a std::function.
bool isStdFunction(clang::QualType T);

/// Whether \p T is a pointer or reference to a function.
bool isFunctionPointer(clang::QualType T);

/// Where a value goes: the declared type it is stored as, converted to or
/// passed as, and the declaration that writes that type, when there is one
/// (a variable, parameter, field or function whose result it is).
struct Destination {
  clang::QualType Type;
  const clang::Decl *Slot = nullptr;
};

class CallbackTypes {
public:
  explicit CallbackTypes(ExtractContext &X) : X(X) {}

  /// An alias: its family if the rules name it, or if it is a std::function
  /// alias declared under the paths (an automatic family).
  void alias(const clang::TypedefNameDecl &TD);

  /// A variable, parameter or field of the paths, or a function's result
  /// (\p D is then the function): if its type is written as an inline
  /// std::function, or names an automatic alias, it is one more place of
  /// that family.
  void slot(const clang::DeclaratorDecl &D);

  /// The family (id) a value of type \p T held at \p Slot belongs to, or
  /// "": an alias named by the rules or declared under the paths (by the
  /// type's sugar), or the inline std::function type \p Slot writes.
  std::string family(clang::QualType T, const clang::Decl *Slot) const;

  /// The family of the value \p E: a variable, parameter or field of the
  /// paths, or a call of a function of the paths whose result is a slot.
  std::string familyOf(const clang::Expr *E) const;

  /// Whether \p Id is a family no rule named.
  bool isAutomatic(llvm::StringRef Id) const;

  /// Where the value \p E goes.
  Destination destination(const clang::Expr *E) const;

  /// The element type of a standard sequence container that \p Slot's
  /// declared type writes with one template argument, a callback type
  /// (`std::list<std::function<void()>> jobs_`), or a null type. Its
  /// elements are places of that family, reached through the container.
  clang::QualType containerElement(const clang::Decl *Slot) const;

  /// The container of callbacks whose element \p E is (`jobs_.front()`,
  /// `jobs_.back()`, `jobs_.at(i)`, `jobs_[i]`, `q.top()`), or null.
  const clang::Decl *elementOf(const clang::Expr *E) const;

  /// For a value \p E stored where no family is (a std::function or
  /// function pointer type), the rule that would make one when its type
  /// names an alias: "its type 'std::function<poll::callback>' forms no
  /// callback family; `callback_types: [...]` ...". Else "".
  std::string ruleHint(const clang::Expr *E) const;

private:
  /// The family \p TD names, or "" (the typedef of a rule, or a std::function
  /// alias of the paths).
  std::string aliasFamily(const clang::TypedefNameDecl *TD) const;
  /// The inline std::function TypeLoc \p Slot's declared type writes,
  /// through references and qualifiers; null if it writes none.
  clang::FunctionProtoTypeLoc inlineSignature(const clang::Decl *Slot,
                                              clang::TypeLoc &Whole) const;
  /// "callback:std::function<int (char *, int)>".
  std::string inlineId(clang::QualType T) const;
  /// Records one written place of family \p Id: its result type's range.
  void addPlace(const std::string &Id, const std::string &Name,
                clang::SourceLocation Loc, clang::SourceRange Range,
                clang::FunctionProtoTypeLoc Signature, bool Automatic);

  ExtractContext &X;
};

} // namespace vinyl::extract

#endif
