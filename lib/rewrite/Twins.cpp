//===- Twins.cpp - The synchronous twins' text ----------------------------===//
//
// See Twins.h. The copy is made from the original text, so the edits the
// coroutine gets (awaits, co_return, lowerings) never reach it; only the
// edits listed in Twins.h do.
//
//===----------------------------------------------------------------------===//
#include "Twins.h"

#include "vinyl-asyncify/facts/Fingerprint.h"
#include "vinyl-asyncify/facts/Format.h"

#include "llvm/ADT/STLExtras.h"

#include <limits>
#include <tuple>

using namespace llvm;

namespace vinyl {

static constexpr const char *TwinTag = "vinyl::twin";
static constexpr const char *TwinTagType = "vinyl::twin_t";

TwinWriter::TwinWriter(const Facts &F, const Solution &S, const Config &C,
                       SourceFiles &Sources)
    : F(F), S(S), C(C), Sources(Sources) {
  if (S.Twins.empty())
    return;
  for (size_t I = 0; I < F.Calls.size(); ++I)
    if (const Anchor &A = F.Calls[I].Call; !A.File.empty())
      CallsAt[A.File].emplace(A.Offset, I);
  for (const SyncUseFact &U : F.SyncUses)
    if (S.SyncConverted.count(U.Object))
      for (const TextEdit &E : U.Sync)
        SyncAt[E.Where.File].emplace(E.Where.Offset, &E);
}

std::string TwinWriter::withTag(StringRef Text, unsigned At, bool Empty) {
  return fmt::format("{}{}{}{}", Text.take_front(At), TwinTagType,
                     Empty ? "" : ", ", Text.drop_front(At));
}

std::vector<TwinWriter::Edit> TwinWriter::editsIn(const std::string &Id,
                                                  StringRef File,
                                                  unsigned Begin,
                                                  unsigned End) const {
  std::vector<Edit> Out;
  std::set<std::tuple<unsigned, unsigned, std::string>> Seen;
  auto Add = [&](unsigned Offset, std::string Text, long Rank) {
    if (Seen.insert({Offset, 0, Text}).second)
      Out.push_back({Offset, 0, std::move(Text), Rank});
  };
  if (auto Calls = CallsAt.find(File.str()); Calls != CallsAt.end())
    for (auto It = Calls->second.lower_bound(Begin);
         It != Calls->second.end() && It->first < End; ++It) {
      const CallFact &Call = F.Calls[It->second];
      unsigned CallEnd = Call.Call.Offset + Call.Call.Length;
      if (CallEnd > End)
        continue;
      // A synchronous lambda inside waits on a coroutine lambda as it
      // does in the original.
      TwinCall What = Call.Caller == Id                  ? twinCall(F, S, Call)
                      : S.BlockOnCalls.count(It->second) ? TwinCall::Wait
                                                         : TwinCall::AsWritten;
      long Len = Call.Call.Length;
      if (What == TwinCall::Twin)
        Add(Call.TwinTag.Offset,
            Call.TwinTagArgs ? fmt::format("{}, ", TwinTag) : TwinTag,
            std::numeric_limits<long>::min());
      if (What == TwinCall::Wait) {
        Add(Call.Call.Offset, C.BlockOn + "(", -Len);
        Add(CallEnd, ")", Len);
      }
    }
  if (auto Uses = SyncAt.find(File.str()); Uses != SyncAt.end())
    for (auto It = Uses->second.lower_bound(Begin);
         It != Uses->second.end() && It->first < End; ++It) {
      const TextEdit &E = *It->second;
      if (E.Where.Offset + E.Where.Length <= End &&
          Seen.insert({E.Where.Offset, E.Where.Length, E.Text}).second)
        Out.push_back({E.Where.Offset, E.Where.Length, E.Text, 0});
    }
  llvm::stable_sort(Out, [](const Edit &A, const Edit &B) {
    return std::make_tuple(A.Offset, A.Length != 0, A.Rank) <
           std::make_tuple(B.Offset, B.Length != 0, B.Rank);
  });
  return Out;
}

Expected<std::string> TwinWriter::after(const FunctionFact &Fn,
                                        const DeclFact &D) {
  Expected<StringRef> Text = Sources.get(D.Whole.File);
  if (!Text)
    return Text.takeError();
  unsigned TagAt = D.ParamsOpen.Offset - D.Whole.Offset;
  if (!D.IsDefinition)
    return fmt::format("\n{}{}", D.Indent,
                       withTag(Text->substr(D.Whole.Offset, D.Whole.Length),
                               TagAt, D.ParamsEmpty));
  unsigned Begin = Fn.BodyOpen - 1, End = D.BodyClose + 1;
  std::string Body;
  unsigned At = Begin;
  for (const Edit &E : editsIn(Fn.Id, D.Whole.File, Begin, End)) {
    if (E.Offset < At)
      return createStringError(
          inconvertibleErrorCode(),
          "%s: error: the synchronous twin of '%s' would need overlapping "
          "edits at offset %u; nothing was written (set 'facades: twins: "
          "false' to go on without twins)",
          D.Whole.File.c_str(), Fn.Name.c_str(), E.Offset);
    Body += Text->slice(At, E.Offset);
    Body += E.Text;
    At = E.Offset + E.Length;
  }
  Body += Text->slice(At, End);
  // The signature as written: a parameter left unnamed stays unnamed (the
  // facade names it to forward it; the twin does not use it).
  StringRef Signature = Text->slice(D.Whole.Offset, Begin).rtrim();
  std::vector<Pending> &Waiting = Fingerprints[D.Whole.File];
  // As wide as a fingerprint, so no offset moves when it is filled in.
  std::string Placeholder = fmt::format("@{:014}@", Waiting.size());
  Waiting.push_back({Begin, D.BodyClose, Placeholder, Body});
  return fmt::format("\n\n{0}// The synchronous twin of '{1}' for blocking "
                     "mode (vinyl-asyncify): keep the two in step.\n"
                     "{0}// {2}{3}\n"
                     "{0}{4} {5}",
                     D.Indent, F.displayName(Fn.Id), TwinFingerprintKey.str(),
                     Placeholder, withTag(Signature, TagAt, D.ParamsEmpty),
                     Body);
}

void TwinWriter::fillFingerprints(StringRef File, StringRef Code,
                                  std::vector<Folded> &Edits) const {
  auto Waiting = Fingerprints.find(File.str());
  if (Waiting == Fingerprints.end())
    return;
  // Where an offset of the original text is in the new one: after what is
  // inserted there (the `co_return;` before a closing brace).
  auto Moved = [&](unsigned Offset) {
    long Shift = 0;
    for (const Folded &E : Edits)
      if (E.Offset < Offset || (E.Offset == Offset && E.Length == 0))
        Shift += long(E.Text.size()) - long(E.Length);
    return unsigned(long(Offset) + Shift);
  };
  std::string New;
  unsigned At = 0;
  for (const Folded &E : Edits) {
    New += Code.slice(At, E.Offset);
    New += E.Text;
    At = E.Offset + E.Length;
  }
  New += Code.drop_front(At);
  for (const Pending &P : Waiting->second) {
    StringRef Coroutine =
        StringRef(New).slice(Moved(P.Open), Moved(P.Close) + 1);
    std::string Print = twinFingerprint(Coroutine, P.TwinBody);
    for (Folded &E : Edits)
      if (size_t Found = E.Text.find(P.Placeholder); Found != std::string::npos)
        E.Text.replace(Found, P.Placeholder.size(), Print);
  }
}

std::string TwinWriter::dispatch(StringRef Name, const DeclFact &D,
                                 StringRef Indent) const {
  return fmt::format("{0}  if (vinyl::runs_blocking())\n"
                     "{0}    return {6}{1}{2}({3}{4}{5});\n",
                     Indent, Name, D.TemplateArgs, TwinTag,
                     D.ForwardArgs.empty() ? "" : ", ", D.ForwardArgs, D.Object);
}

} // namespace vinyl
