//===- DeclarationText.h - What a facade copies or says of a declaration --===//
//
// The pieces of a declaration a facade or a fallback needs beyond its
// anchors: the attributes written before it, the object a `&&` member's
// facade calls its coroutine on, and why a deduced result type cannot be
// written outside the function.
//
// Private to lib/extract/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_EXTRACT_DECLARATIONTEXT_H
#define VINYL_ASYNCIFY_LIB_EXTRACT_DECLARATIONTEXT_H

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"

#include <string>

namespace vinyl::extract {

/// See DeclFact::Attributes: the text from the `[[` or `__attribute__` of
/// the first attribute written on \p FD before \p Begin, to \p Begin.
std::string leadingAttributes(const clang::FunctionDecl &FD,
                              clang::SourceLocation Begin,
                              const clang::SourceManager &SM);

/// See DeclFact::Object.
std::string callObject(const clang::FunctionDecl &FD);

/// Why \p T cannot be written at namespace scope, if it cannot: a class
/// (or enum) local to a function, a closure type or an unnamed type, as
/// itself or inside a pointer, reference, array or template argument.
std::string unnameable(clang::QualType T, const clang::ASTContext &Ctx);

} // namespace vinyl::extract

#endif
