//===- FactsIO.cpp - Extraction facts as files, for split pipelines -------===//
#include "vinyl-asyncify/facts/FactsIO.h"

#include "vinyl-asyncify/facts/Diagnostics.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

using namespace llvm;
using namespace vinyl;

namespace {
struct TUFiles {
  std::string TU;
  std::vector<std::string> Files;
};
/// Facts keeps functions in a map by id; the file lists them.
struct RawFile {
  std::vector<FunctionFact> Functions;
  std::vector<CallFact> Calls;
  std::vector<SyncObjectFact> SyncObjects;
  std::vector<SyncUseFact> SyncUses;
  std::vector<std::string> LeavesSeen;
  std::vector<Finding> Findings;
  std::vector<TUFiles> TUs;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::FunctionFact)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::DeclFact)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::CallFact)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::Anchor)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::TextEdit)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::LoweredPiece)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::Lowering)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::OrderUnit)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::Finding)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::SyncObjectFact)
LLVM_YAML_IS_SEQUENCE_VECTOR(vinyl::SyncUseFact)
LLVM_YAML_IS_SEQUENCE_VECTOR(TUFiles)

namespace llvm::yaml {
template <> struct MappingTraits<Location> {
  static void mapping(IO &Io, Location &L) {
    Io.mapOptional("file", L.File, std::string());
    Io.mapOptional("line", L.Line, 0u);
    Io.mapOptional("column", L.Column, 0u);
  }
};
template <> struct MappingTraits<Anchor> {
  static void mapping(IO &Io, Anchor &A) {
    Io.mapOptional("file", A.File, std::string());
    Io.mapOptional("offset", A.Offset, 0u);
    Io.mapOptional("length", A.Length, 0u);
  }
};
template <> struct MappingTraits<TextEdit> {
  static void mapping(IO &Io, TextEdit &E) {
    Io.mapRequired("where", E.Where);
    Io.mapOptional("text", E.Text, std::string());
    Io.mapOptional("unless", E.Unless, Anchor());
  }
};
template <> struct MappingTraits<LoweredPiece> {
  static void mapping(IO &Io, LoweredPiece &P) {
    Io.mapOptional("source", P.Source, Anchor());
    Io.mapOptional("text", P.Text, std::string());
    Io.mapOptional("operand", P.Operand, false);
  }
};
template <> struct MappingTraits<OrderUnit> {
  static void mapping(IO &Io, OrderUnit &U) {
    Io.mapOptional("call", U.Call, Anchor());
    Io.mapOptional("class_result", U.ClassResult, false);
  }
};
template <> struct MappingTraits<Lowering> {
  static void mapping(IO &Io, Lowering &L) {
    Io.mapRequired("whole", L.Whole);
    Io.mapOptional("pieces", L.Pieces);
    Io.mapOptional("awaits_in_condition", L.AwaitsInCondition, false);
    Io.mapOptional("order", L.Order);
  }
};
template <> struct ScalarEnumerationTraits<CallKind> {
  static void enumeration(IO &Io, CallKind &K) {
    Io.enumCase(K, "direct", CallKind::Direct);
    Io.enumCase(K, "operator", CallKind::Operator);
    Io.enumCase(K, "implicit", CallKind::Implicit);
    Io.enumCase(K, "address-taken", CallKind::AddressTaken);
    Io.enumCase(K, "blocking-wait", CallKind::BlockingWait);
    Io.enumCase(K, "spawn", CallKind::Spawn);
    Io.enumCase(K, "join", CallKind::Join);
  }
};
template <> struct MappingTraits<DeclFact> {
  static void mapping(IO &Io, DeclFact &D) {
    Io.mapOptional("loc", D.Loc);
    Io.mapOptional("return_type", D.ReturnType);
    Io.mapOptional("result", D.Result, std::string());
    Io.mapOptional("trailing_return", D.TrailingReturn, false);
    Io.mapOptional("insert_return", D.InsertReturn, false);
    Io.mapOptional("add_parens", D.AddParens);
    Io.mapOptional("linkage_prefix", D.LinkagePrefix);
    Io.mapOptional("in_extern_c_block", D.InExternCBlock, false);
    Io.mapOptional("name", D.Name);
    Io.mapOptional("whole", D.Whole);
    Io.mapOptional("definition", D.IsDefinition, false);
    Io.mapOptional("signature", D.Signature, std::string());
    Io.mapOptional("forward_args", D.ForwardArgs, std::string());
    Io.mapOptional("template_args", D.TemplateArgs, std::string());
    Io.mapOptional("object", D.Object, std::string());
    Io.mapOptional("body_close", D.BodyClose, 0u);
    Io.mapOptional("falls_off_end", D.FallsOffEnd, false);
    Io.mapOptional("params_open", D.ParamsOpen);
    Io.mapOptional("params_empty", D.ParamsEmpty, false);
    Io.mapOptional("twin_problem", D.TwinProblem, std::string());
    Io.mapOptional("indent", D.Indent, std::string());
    Io.mapOptional("attributes", D.Attributes, std::string());
    Io.mapOptional("facade_maybe_unused", D.FacadeMaybeUnused, false);
    Io.mapOptional("problem", D.Problem, std::string());
    Io.mapOptional("facade_problem", D.FacadeProblem, std::string());
  }
};
template <> struct MappingTraits<ResumePoint> {
  static void mapping(IO &Io, ResumePoint &P) {
    Io.mapOptional("statement", P.Statement, Anchor());
    Io.mapOptional("braces", P.Braces, false);
    Io.mapOptional("splits", P.Splits);
    Io.mapOptional("pristine", P.Pristine, false);
    Io.mapOptional("loop_condition", P.LoopCondition, false);
    Io.mapOptional("condition", P.Condition, Anchor());
    Io.mapOptional("body_end", P.BodyEnd, Anchor());
    Io.mapOptional("condition_calls", P.ConditionCalls, 0u);
    Io.mapOptional("problem", P.Problem, std::string());
  }
};
template <> struct MappingTraits<CallFact> {
  static void mapping(IO &Io, CallFact &C) {
    Io.mapOptional("caller", C.Caller, std::string());
    Io.mapRequired("callee", C.Callee);
    Io.mapOptional("loc", C.Loc);
    Io.mapOptional("kind", C.Kind, CallKind::Direct);
    Io.mapOptional("call", C.Call);
    Io.mapOptional("callee_name", C.CalleeName);
    Io.mapOptional("needs_parens", C.NeedsParens, false);
    Io.mapOptional("move_await", C.MoveAwait, false);
    Io.mapOptional("deref_await", C.DerefAwait, false);
    Io.mapOptional("held_lock", C.HeldLock, std::string());
    Io.mapOptional("held_mutexes", C.HeldMutexes);
    Io.mapOptional("in_condition", C.InCondition, false);
    Io.mapOptional("awaited", C.Awaited, false);
    Io.mapOptional("blocked_on", C.BlockedOn, false);
    Io.mapOptional("dependent", C.Dependent, false);
    Io.mapOptional("problem", C.Problem, std::string());
    Io.mapOptional("leaf_name", C.LeafName, std::string());
    Io.mapOptional("leaf_callee", C.LeafCallee);
    Io.mapOptional("twin", C.Twin, std::string());
    Io.mapOptional("leaf_object", C.LeafObject);
    Io.mapOptional("leaf_object_prefix", C.LeafObjectPrefix, std::string());
    Io.mapOptional("leaf_member", C.LeafMember);
    Io.mapOptional("leaf_has_args", C.LeafHasArgs, false);
    Io.mapOptional("twin_tag", C.TwinTag);
    Io.mapOptional("twin_tag_args", C.TwinTagArgs, false);
    Io.mapOptional("spawn_edits", C.SpawnEdits);
    Io.mapOptional("await_edits", C.AwaitEdits);
    Io.mapOptional("await_before", C.AwaitBefore, std::string());
    Io.mapOptional("await_after", C.AwaitAfter, std::string());
    Io.mapOptional("lowerings", C.Lowerings);
    Io.mapOptional("resume", C.Resume, ResumePoint());
    Io.mapOptional("callback_type", C.CallbackType, std::string());
    Io.mapOptional("spawn_with", C.SpawnWith, std::string());
    Io.mapOptional("group", C.Group, std::string());
  }
};
template <> struct MappingTraits<FastPathFact> {
  static void mapping(IO &Io, FastPathFact &P) {
    Io.mapOptional("cold", P.Cold, Anchor());
    Io.mapOptional("drop", P.Drop, Anchor());
    Io.mapOptional("then", P.Then, Anchor());
    Io.mapOptional("ready_pure", P.ReadyPure, false);
    Io.mapOptional("problem", P.Problem, std::string());
  }
};
template <> struct MappingTraits<FunctionFact> {
  static void mapping(IO &Io, FunctionFact &F) {
    Io.mapRequired("id", F.Id);
    Io.mapOptional("name", F.Name, std::string());
    Io.mapOptional("loc", F.Loc);
    Io.mapOptional("writable", F.Writable, false);
    Io.mapOptional("has_definition", F.HasDefinition, false);
    Io.mapOptional("main", F.IsMain, false);
    Io.mapOptional("constructor", F.IsConstructor, false);
    Io.mapOptional("destructor", F.IsDestructor, false);
    Io.mapOptional("constexpr", F.IsConstexpr, false);
    Io.mapOptional("consteval", F.IsConsteval, false);
    Io.mapOptional("variadic", F.IsVariadic, false);
    Io.mapOptional("conversion", F.IsConversion, false);
    Io.mapOptional("noexcept", F.IsNoexcept, false);
    Io.mapOptional("outside_override", F.IsOutsideOverride, false);
    Io.mapOptional("operator", F.IsOperator, false);
    Io.mapOptional("virtual", F.IsVirtual, false);
    Io.mapOptional("extern_c", F.IsExternC, false);
    Io.mapOptional("coroutine", F.IsCoroutine, false);
    Io.mapOptional("lambda", F.IsLambda, false);
    Io.mapOptional("twin", F.IsTwin, false);
    Io.mapOptional("callback_type", F.IsCallbackType, false);
    Io.mapOptional("auto_callback_type", F.AutoCallbackType, false);
    Io.mapOptional("written_inline", F.WrittenInline, false);
    Io.mapOptional("slot_owners", F.SlotOwners);
    Io.mapOptional("external_api", F.ExternalApi, false);
    Io.mapOptional("declared_outside", F.DeclaredOutside, false);
    Io.mapOptional("async_name_taken", F.AsyncNameTaken, std::string());
    Io.mapOptional("async_name_taken_at", F.AsyncNameTakenAt);
    Io.mapOptional("overrides", F.Overrides);
    Io.mapOptional("overrides_outside", F.OverridesOutside, std::string());
    Io.mapOptional("specialization_of", F.SpecializationOf, std::string());
    Io.mapOptional("decls", F.Decls);
    Io.mapOptional("returns", F.Returns);
    Io.mapOptional("usings", F.Usings);
    Io.mapOptional("has_locals", F.HasLocals, false);
    Io.mapOptional("static_local", F.StaticLocal, Location());
    Io.mapOptional("inactive_code", F.InactiveCode, Location());
    Io.mapOptional("inactive_lines", F.InactiveLines);
    Io.mapOptional("sometimes_inactive", F.SometimesInactive, false);
    Io.mapOptional("body_open", F.BodyOpen, 0u);
    Io.mapOptional("fast_path", F.FastPath, FastPathFact());
    Io.mapOptional("problem", F.Problem, std::string());
  }
};
template <> struct MappingTraits<Finding> {
  static void mapping(IO &Io, Finding &D) {
    Io.mapOptional("loc", D.Loc);
    Io.mapRequired("check", D.Check);
    Io.mapRequired("message", D.Message);
  }
};
template <> struct MappingTraits<SyncObjectFact> {
  static void mapping(IO &Io, SyncObjectFact &O) {
    Io.mapRequired("id", O.Id);
    Io.mapOptional("name", O.Name, std::string());
    Io.mapOptional("loc", O.Loc, Location());
    Io.mapOptional("condition", O.IsCondition, false);
    Io.mapOptional("std_type", O.StdType, std::string());
    Io.mapOptional("type", O.Type, Anchor());
    Io.mapOptional("problem", O.Problem, std::string());
    Io.mapOptional("problem_loc", O.ProblemLoc, Location());
  }
};
template <> struct MappingTraits<SyncUseFact> {
  static void mapping(IO &Io, SyncUseFact &U) {
    Io.mapRequired("object", U.Object);
    Io.mapOptional("caller", U.Caller, std::string());
    Io.mapOptional("loc", U.Loc, Location());
    Io.mapOptional("wait", U.IsWait, false);
    Io.mapOptional("mutex", U.Mutex, std::string());
    Io.mapOptional("async", U.Async);
    Io.mapOptional("sync", U.Sync);
    Io.mapOptional("async_awaits", U.AsyncAwaits, false);
  }
};
template <> struct MappingTraits<TUFiles> {
  static void mapping(IO &Io, TUFiles &T) {
    Io.mapRequired("tu", T.TU);
    Io.mapOptional("files", T.Files);
  }
};
template <> struct MappingTraits<RawFile> {
  static void mapping(IO &Io, RawFile &F) {
    Io.mapOptional("functions", F.Functions);
    Io.mapOptional("calls", F.Calls);
    Io.mapOptional("sync_objects", F.SyncObjects);
    Io.mapOptional("sync_uses", F.SyncUses);
    Io.mapOptional("leaves_seen", F.LeavesSeen);
    Io.mapOptional("findings", F.Findings);
    Io.mapOptional("translation_units", F.TUs);
  }
};
} // namespace llvm::yaml

namespace vinyl {

void writeFacts(raw_ostream &OS, const Facts &F) {
  RawFile Raw;
  for (const auto &[Id, Fn] : F.Functions)
    Raw.Functions.push_back(Fn);
  Raw.Calls = F.Calls;
  for (const auto &[Id, O] : F.SyncObjects)
    Raw.SyncObjects.push_back(O);
  Raw.SyncUses = F.SyncUses;
  Raw.LeavesSeen = F.LeavesSeen;
  Raw.Findings = F.Findings;
  for (const auto &[TU, Files] : F.FilesOfTU)
    Raw.TUs.push_back({TU, Files});
  OS << "# vinyl-asyncify extraction facts (vinyl-asyncify --facts reads "
        "them).\n";
  yaml::Output Out(OS);
  Out << Raw;
}

Expected<Facts> readFacts(StringRef Path) {
  // A device or a pipe (`/dev/zero`) would be read until memory ran out.
  if (sys::fs::file_status St;
      !sys::fs::status(Path, St) && !sys::fs::is_regular_file(St))
    return createStringError(inconvertibleErrorCode(),
                             "%s: error: cannot read: not a regular file",
                             Path.str().c_str());
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: error: cannot read: %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  std::string Message;
  RawFile Raw;
  yaml::Input In((*Buffer)->getMemBufferRef(), nullptr, keepFirstYamlError,
                 &Message);
  In >> Raw;
  if (In.error())
    return createStringError(inconvertibleErrorCode(),
                             Message.empty()
                                 ? Path.str() + ": error: not a facts file"
                                 : locatedYamlError(Message, Path));
  Facts F;
  for (FunctionFact &Fn : Raw.Functions) {
    std::string Id = Fn.Id;
    F.Functions.emplace(std::move(Id), std::move(Fn));
  }
  F.Calls = std::move(Raw.Calls);
  for (SyncObjectFact &O : Raw.SyncObjects) {
    std::string Id = O.Id;
    F.SyncObjects.emplace(std::move(Id), std::move(O));
  }
  F.SyncUses = std::move(Raw.SyncUses);
  F.LeavesSeen = std::move(Raw.LeavesSeen);
  F.Findings = std::move(Raw.Findings);
  for (TUFiles &T : Raw.TUs)
    F.FilesOfTU[T.TU] = std::move(T.Files);
  return F;
}

} // namespace vinyl
