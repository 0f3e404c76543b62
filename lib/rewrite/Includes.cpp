//===- Includes.cpp - Where the runtime's #include goes -------------------===//
//
// The preamble of the file (everything before its first line of code at
// the top level) is read line by line, with comments and line
// continuations, keeping the depth of conditional blocks. The #include
// goes after the last top-level #include, or after the last conditional
// block that includes something; without either, after the last top-level
// directive (a guard's #define, #pragma once, configuration macros) or the
// leading comment.
//
//===----------------------------------------------------------------------===//
#include "Includes.h"

#include <vector>

using namespace llvm;

namespace vinyl {
namespace {

/// One logical line: its text without comments, and where it ends (after
/// its line break).
struct Line {
  std::string Text;
  size_t End;
};

class Preamble {
public:
  explicit Preamble(StringRef Code) : Code(Code) {}

  /// The next logical line, or false at the end of the file.
  bool next(Line &L) {
    if (Pos >= Code.size())
      return false;
    L.Text.clear();
    for (;;) {
      size_t Eol = Code.find('\n', Pos);
      size_t End = Eol == StringRef::npos ? Code.size() : Eol + 1;
      StringRef Raw = Code.slice(Pos, Eol == StringRef::npos ? End : Eol);
      Pos = End;
      appendWithoutComments(Raw, L.Text);
      StringRef Kept = StringRef(L.Text).rtrim();
      // A directive continues on the next line after a backslash.
      if (!InComment && Kept.ends_with("\\") && Pos < Code.size()) {
        L.Text.resize(Kept.size() - 1);
        continue;
      }
      L.End = End;
      return true;
    }
  }

private:
  void appendWithoutComments(StringRef Raw, std::string &Out) {
    for (size_t I = 0; I < Raw.size(); ++I) {
      if (InComment) {
        if (Raw.substr(I).starts_with("*/")) {
          InComment = false;
          ++I;
          Out += ' ';
        }
        continue;
      }
      if (Raw.substr(I).starts_with("//"))
        return;
      if (Raw.substr(I).starts_with("/*")) {
        InComment = true;
        ++I;
        continue;
      }
      Out += Raw[I];
    }
  }

  StringRef Code;
  size_t Pos = 0;
  bool InComment = false;
};

/// "include", "ifndef", ... for a directive line, else "".
StringRef directive(StringRef Text, StringRef &Rest) {
  Text = Text.ltrim();
  if (!Text.consume_front("#"))
    return "";
  Text = Text.ltrim();
  StringRef Name =
      Text.take_while([](char C) { return isalpha(C) || C == '_'; });
  Rest = Text.drop_front(Name.size()).trim();
  return Name;
}

/// Whether the last line of code of the file is an #endif: a header
/// guard's, if the file also starts with #ifndef X and #define X (a block
/// that only defines a configuration macro ends before the code).
bool endsWithEndif(StringRef Code) {
  Preamble P(Code);
  Line L;
  std::string Keep;
  while (P.next(L))
    if (!StringRef(L.Text).trim().empty())
      Keep = L.Text;
  StringRef Rest;
  return directive(Keep, Rest) == "endif";
}

} // namespace

std::optional<IncludeEdit> includeEdit(StringRef Code, StringRef Header) {
  // A byte order mark stays the first thing in the file.
  if (Code.starts_with("\xEF\xBB\xBF")) {
    std::optional<IncludeEdit> E = includeEdit(Code.drop_front(3), Header);
    if (E)
      E->Offset += 3;
    return E;
  }
  bool MayHaveGuard = endsWithEndif(Code);
  Preamble P(Code);
  Line L;
  unsigned Depth = 0, Base = 0;
  std::vector<bool> BlockIncludes; // per open block: does it include?
  std::optional<size_t> AfterInclude;
  size_t AfterDirective = 0;
  bool SeenAnything = false;
  std::string GuardCandidate;
  int Directives = 0;
  // The whole file is read for an existing #include of the header; the
  // place is decided by the preamble alone.
  bool InPreamble = true;
  bool Present = false;
  while (P.next(L)) {
    StringRef Rest;
    StringRef Name = directive(L.Text, Rest);
    if (Name.empty()) {
      if (StringRef(L.Text).trim().empty()) {
        if (!SeenAnything && InPreamble)
          AfterDirective = L.End; // Part of the leading comment.
        continue;
      }
      SeenAnything = true;
      if (Depth == Base)
        InPreamble = false;
      continue;
    }
    if (Name == "include" || Name == "import" || Name == "include_next") {
      if (Rest.trim() == Header)
        Present = true;
    }
    if (!InPreamble)
      continue;
    SeenAnything = true;
    ++Directives;
    if (Name == "if" || Name == "ifdef" || Name == "ifndef") {
      if (Directives == 1 && Name == "ifndef")
        GuardCandidate = Rest.str();
      ++Depth;
      BlockIncludes.push_back(false);
      continue;
    }
    if (Name == "define" && Directives == 2 && MayHaveGuard &&
        !GuardCandidate.empty() && Rest.starts_with(GuardCandidate) &&
        (Rest.size() == GuardCandidate.size() ||
         isspace(Rest[GuardCandidate.size()]))) {
      // `#ifndef X_H` `#define X_H`: a header guard, not a condition.
      Base = 1;
      BlockIncludes.pop_back();
      AfterDirective = L.End;
      continue;
    }
    if (Name == "endif") {
      if (Depth == Base)
        continue; // The guard's #endif, or an unbalanced one.
      --Depth;
      bool Included = BlockIncludes.back();
      BlockIncludes.pop_back();
      if (Depth == Base) {
        AfterDirective = L.End;
        if (Included)
          AfterInclude = L.End;
      } else {
        BlockIncludes.back() = BlockIncludes.back() || Included;
      }
      continue;
    }
    if (Name == "include" || Name == "import" || Name == "include_next") {
      if (Depth == Base)
        AfterInclude = L.End;
      else
        BlockIncludes.back() = true;
    }
    if (Depth == Base)
      AfterDirective = L.End;
  }
  if (Present)
    return std::nullopt;
  size_t FirstBreak = Code.find('\n');
  StringRef Eol = FirstBreak != StringRef::npos && FirstBreak > 0 &&
                          Code[FirstBreak - 1] == '\r'
                      ? "\r\n"
                      : "\n";
  IncludeEdit E;
  E.Offset = AfterInclude.value_or(AfterDirective);
  E.Text = "#include " + Header.str() + Eol.str();
  // After a last line without a line break.
  if (E.Offset == Code.size() && E.Offset > 0 && Code.back() != '\n')
    E.Text = Eol.str() + E.Text;
  return E;
}

std::optional<IncludeEdit> includeEdits(StringRef Code,
                                        ArrayRef<std::string> Headers) {
  std::optional<IncludeEdit> All;
  for (const std::string &Header : Headers) {
    std::optional<IncludeEdit> E = includeEdit(Code, Header);
    if (!E)
      continue;
    if (!All) {
      All = std::move(E);
      continue;
    }
    // The line break put before the first one (a file ending without
    // one) is not repeated.
    StringRef Text = E->Text;
    All->Text += Text.substr(Text.find('#')).str();
  }
  return All;
}

} // namespace vinyl
