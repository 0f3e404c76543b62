//===- Lower.cpp - A lowered statement written with its edits -------------===//
//
// See Lower.h.
//
//===----------------------------------------------------------------------===//
#include "Lower.h"

#include "llvm/ADT/STLExtras.h"

#include <limits>
#include <tuple>

using namespace llvm;

namespace vinyl {

void sortEdits(std::vector<Edit> &Edits) {
  llvm::stable_sort(Edits, [](const Edit &A, const Edit &B) {
    return std::tie(A.Offset, A.Length, A.Rank) <
           std::tie(B.Offset, B.Length, B.Rank);
  });
}

std::optional<unsigned> lowerStatement(StringRef Code, const Lowering &L,
                                     std::vector<Edit> &Edits) {
  unsigned Begin = L.Whole.Offset, End = Begin + L.Whole.Length;
  std::vector<Edit> Inside, Rest;
  for (Edit &E : Edits) {
    bool Before =
        E.Offset + E.Length <= Begin && !(E.Length == 0 && E.Offset == Begin);
    bool After = E.Offset >= End;
    if (!Before && !After && (E.Offset < Begin || E.Offset + E.Length > End))
      return E.Offset;
    (Before || After ? Rest : Inside).push_back(std::move(E));
  }
  // An operand's range holds the insertions at its ends, but not those
  // of a call around it that starts or ends where it does (ranked by
  // their length, see rewriteCall): `co_await ` before `pick(5).send(x)`
  // is not the hoisted `pick(5)`'s.
  auto Accepts = [&](const LoweredPiece &O, const Edit &E) {
    unsigned OB = O.Source.Offset, OE = OB + O.Source.Length;
    long Len = O.Source.Length;
    if (!O.Operand || O.Source.File.empty() || E.Offset < OB ||
        E.Offset > OE)
      return false;
    if (E.Offset == OB && E.Rank < -Len &&
        E.Rank != std::numeric_limits<long>::min())
      return false;
    return E.Offset != OE || E.Rank <= Len ||
           E.Rank == std::numeric_limits<long>::max();
  };
  auto Owns = [&](const LoweredPiece &P, const Edit &E) {
    unsigned PB = P.Source.Offset, PE = PB + P.Source.Length;
    if (E.Length)
      return PB <= E.Offset && E.Offset + E.Length <= PE;
    if (P.Operand)
      return Accepts(P, E);
    if (llvm::any_of(L.Pieces,
                     [&](const LoweredPiece &O) { return Accepts(O, E); }))
      return false;
    if (PB <= E.Offset && E.Offset < PE)
      return true;
    // At its end, what no operand takes and no other such piece starts
    // with.
    return E.Offset == PE &&
           llvm::none_of(L.Pieces, [&](const LoweredPiece &O) {
             return &O != &P && !O.Operand && !O.Source.File.empty() &&
                    O.Source.Offset == PE;
           });
  };
  std::string Text;
  std::vector<bool> Used(Inside.size());
  for (const LoweredPiece &P : L.Pieces) {
    if (P.Source.File.empty()) {
      Text += P.Text;
      continue;
    }
    unsigned At = P.Source.Offset, PE = At + P.Source.Length;
    for (size_t I = 0; I < Inside.size();) {
      if (!Owns(P, Inside[I])) {
        ++I;
        continue;
      }
      unsigned Offset = Inside[I].Offset, Length = 0;
      if (Offset < At)
        return Offset;
      Text += Code.slice(At, Offset);
      for (; I < Inside.size() && Inside[I].Offset == Offset; ++I) {
        if (!Owns(P, Inside[I]))
          continue;
        Used[I] = true;
        if (Inside[I].Length && Length)
          continue; // The same replacement reached twice.
        Text += Inside[I].Text;
        Length = std::max(Length, Inside[I].Length);
      }
      At = Offset + Length;
    }
    Text += Code.slice(At, PE);
  }
  // An edit no piece holds would be lost.
  for (size_t I = 0; I < Inside.size(); ++I)
    if (!Used[I])
      return Inside[I].Offset;
  Rest.push_back({Begin, End - Begin, std::move(Text), 0});
  Edits = std::move(Rest);
  sortEdits(Edits);
  return std::nullopt;
}

} // namespace vinyl
