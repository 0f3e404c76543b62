//===- FastPaths.cpp - The text of a function split at a cold guard -------===//
//
// See FastPaths.h. Both copies are made from the original text: the
// coroutine's edits (awaits, co_return, lowerings) stay in the definition
// converted in place, and the plain half needs none, since nothing outside
// its cold branch awaits.
//
//===----------------------------------------------------------------------===//
#include "FastPaths.h"

#include "vinyl-asyncify/facts/Format.h"

#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace vinyl {

namespace {

/// A replacement in a copy of a range of the text.
struct Piece {
  unsigned Offset, Length;
  std::string Text;
};

/// [Begin, End) of \p Text with \p Pieces (inside it, not overlapping)
/// made.
std::string copyWith(StringRef Text, unsigned Begin, unsigned End,
                     std::vector<Piece> Pieces) {
  llvm::stable_sort(Pieces, [](const Piece &A, const Piece &B) {
    return A.Offset < B.Offset;
  });
  std::string Out;
  unsigned At = Begin;
  for (const Piece &P : Pieces) {
    Out += Text.slice(At, P.Offset);
    Out += P.Text;
    At = P.Offset + P.Length;
  }
  Out += Text.slice(At, End);
  return Out;
}

} // namespace

std::string returnTypeBefore(StringRef Text, unsigned End, std::string Type) {
  if (End < Text.size() && (isalnum(Text[End]) || Text[End] == '_'))
    Type += ' ';
  return Type;
}

std::string FastPathWriter::resultType(const DeclFact &D) const {
  return fmt::format("{}<{}>", FastTaskType.str(), D.Result);
}

std::string FastPathWriter::tagParameter(const DeclFact &D, bool Named) {
  std::string Tag = Named ? "vinyl::slow_t vinyl_at" : "vinyl::slow_t";
  return D.ParamsEmpty ? Tag : Tag + ", ";
}

Expected<std::string> FastPathWriter::after(const FunctionFact &Fn,
                                            const DeclFact &D,
                                            StringRef Name,
                                            ArrayRef<HandOver> Resume) {
  if (D.IsDefinition)
    return plainHalf(Fn, D, Name, Resume);
  Expected<StringRef> Text = Sources.get(D.Whole.File);
  if (!Text)
    return Text.takeError();
  // `int get(P);` -> `vinyl::fast_task<int> get(P);` in place, and after
  // it `vinyl::task<int> get(vinyl::slow_t, P);`.
  std::vector<Piece> Pieces{
      {D.ReturnType.Offset, D.ReturnType.Length,
       returnTypeBefore(*Text, D.ReturnType.Offset + D.ReturnType.Length,
                        fmt::format("{}<{}>", C.TaskType, D.Result))},
      {D.ParamsOpen.Offset, 0, tagParameter(D)}};
  if (!D.Name.File.empty())
    Pieces.push_back({D.Name.Offset, D.Name.Length, Name.str()});
  return fmt::format("\n{}{}", D.Indent,
                     copyWith(*Text, D.Whole.Offset,
                              D.Whole.Offset + D.Whole.Length, Pieces));
}

Expected<std::string> FastPathWriter::plainHalf(const FunctionFact &Fn,
                                                const DeclFact &D,
                                                StringRef Name,
                                                ArrayRef<HandOver> Resume) {
  Expected<StringRef> Text = Sources.get(D.Whole.File);
  if (!Text)
    return Text.takeError();
  const FastPathFact &P = Fn.FastPath;
  // The signature as the facade writes it (every parameter named, since
  // the hand-over passes them on), with the new result type and name;
  // neither moved when the parameters were named, which follow both.
  std::string Signature = D.Signature;
  unsigned RT = D.ReturnType.Offset - D.Whole.Offset,
           NameAt = D.Name.Offset - D.Whole.Offset;
  Signature.replace(NameAt, D.Name.Length, Name.str());
  Signature.replace(
      RT, D.ReturnType.Length,
      returnTypeBefore(Signature, RT + D.ReturnType.Length, resultType(D)));

  auto Return = [&](StringRef Tag) {
    return fmt::format("return {}{}{}({}{}{})", D.Object, Name, D.TemplateArgs,
                       Tag,
                       D.ForwardArgs.empty() ? "" : ", ", D.ForwardArgs);
  };
  std::vector<Piece> Pieces;
  if (Resume.empty()) {
    // A branch that is a statement keeps its ';', which its range leaves
    // out.
    std::string Over = Return(SlowTag);
    if (Text->substr(P.Then.Offset).starts_with("{"))
      Over = "{ " + Over + "; }";
    Pieces.push_back({P.Then.Offset, P.Then.Length, Over});
    if (!P.Drop.File.empty())
      Pieces.push_back({P.Drop.Offset, P.Drop.Length, ""});
  }
  // A loop's closing brace goes after those of the points in its body, and
  // an inner loop's before an outer one's.
  std::vector<Piece> Closings;
  for (size_t I = 0; I < Resume.size(); ++I) {
    const HandOver &H = Resume[I];
    std::string Over = Return(fmt::format("vinyl::slow_t({})", H.Point));
    if (H.LoopCondition) {
      std::string Stop = fmt::format("vinyl_stop_{}", H.Point);
      Pieces.push_back({H.Call.Offset, H.Call.Length,
                        fmt::format("vinyl::ready_or_stop({}, {})", H.CallText,
                                    Stop)});
      if (I > 0 && Resume[I - 1].Point == H.Point)
        continue;
      std::string Go = fmt::format("vinyl_go_{}", H.Point);
      unsigned CondEnd = H.Condition.Offset + H.Condition.Length;
      Pieces.push_back(
          {H.Statement.Offset, H.Condition.Offset - H.Statement.Offset,
           fmt::format("for (;;) {{ bool {} = false; bool {} = "
                       "static_cast<bool>(",
                       Stop, Go)});
      Pieces.push_back(
          {CondEnd, H.Statement.Offset + H.Statement.Length - CondEnd,
           fmt::format("); if ({}) {}; if (!{}) break; ", Stop, Over, Go)});
      Closings.push_back({H.BodyEnd.Offset, 0, " }"});
      continue;
    }
    std::string Ready = fmt::format("vinyl_ready_{}", H.Point);
    Pieces.push_back({H.Statement.Offset, 0,
                      fmt::format("{}auto {} = {}; if (!{}.ready()) {}; ",
                                  H.Braces ? "{ " : "", Ready, H.CallText,
                                  Ready, Over)});
    Pieces.push_back({H.Call.Offset, H.Call.Length,
                      fmt::format("std::move({}).take_value()", Ready)});
    if (H.Braces)
      Pieces.push_back({H.Statement.Offset + H.Statement.Length, 0, " }"});
  }
  Pieces.insert(Pieces.end(), Closings.rbegin(), Closings.rend());
  bool Void = D.Result == "void";
  if (Void) {
    // fast_task<void> is a class: `return;` cannot make one.
    for (const Anchor &R : Fn.Returns)
      if (R.File == D.Whole.File && R.Offset > Fn.BodyOpen &&
          R.Offset < D.BodyClose && !(Resume.empty() && P.Cold.contains(R)))
        Pieces.push_back({R.Offset + R.Length, 0, " {}"});
    StringRef Before = Text->slice(Fn.BodyOpen, D.BodyClose);
    StringRef Line = Before.substr(Before.rfind('\n') + 1);
    Pieces.push_back({D.BodyClose, 0,
                      Line.trim().empty() && Before.contains('\n')
                          ? fmt::format("  return {{}};\n{}", Line)
                          : std::string("return {}; ")});
  }
  return fmt::format(
      "\n\n{0}// The ready path of '{1}' (vinyl-asyncify fast_paths).\n"
      "{0}{2} {3}",
      D.Indent, Fn.Name, Signature,
      copyWith(*Text, Fn.BodyOpen - 1, D.BodyClose + 1, Pieces));
}

} // namespace vinyl
