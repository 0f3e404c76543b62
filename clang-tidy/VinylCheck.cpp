//===- VinylCheck.cpp - What every vinyl-* check shares -------------------===//
//
// Configuration is found the way the CLI finds it, so that a project's
// .vinyl.yaml changes the squiggles and the conversion alike. The bundled
// rules are found relative to the plugin itself: the build tree mirrors the
// install tree (lib/, share/vinyl-asyncify/rules/), as it does for the tool.
//
//===----------------------------------------------------------------------===//
#include "VinylCheck.h"

#include "vinyl-asyncify/pipeline/Pipeline.h"

#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

using namespace clang;
using namespace llvm;

namespace vinyl::tidy {

CallPlace placeOf(const Expr &E, ASTContext &Ctx) {
  CallPlace Place;
  DynTypedNode Child = DynTypedNode::create(E);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return Place;
    const DynTypedNode &Parent = Parents[0];
    const Stmt *ChildStmt = Child.get<Stmt>();
    if (const auto *Body = Parent.get<CoroutineBodyStmt>()) {
      // The initial/final suspends and get_return_object() calls Sema adds
      // belong to no line the user wrote.
      if (ChildStmt != Body->getBody())
        return CallPlace();
      Place.InCoroutine = true;
    } else if (const auto *Lambda = Parent.get<LambdaExpr>()) {
      // A capture initialiser runs in the enclosing function.
      if (ChildStmt == Lambda->getBody() ||
          ChildStmt == Lambda->getCompoundStmtBody()) {
        Place.Function = Lambda->getCallOperator();
        return Place;
      }
    } else if (Parent.get<CXXCatchStmt>()) {
      if (!Place.CannotAwait)
        Place.CannotAwait = "co_await is not allowed in a catch handler";
    } else if (Parent.get<UnaryExprOrTypeTraitExpr>() ||
               Parent.get<CXXNoexceptExpr>() || Parent.get<TypeLoc>()) {
      Place.Unevaluated = true;
    } else if (const auto *Typeid = Parent.get<CXXTypeidExpr>()) {
      Place.Unevaluated |= !Typeid->isPotentiallyEvaluated();
    } else if (const auto *FD = Parent.get<FunctionDecl>()) {
      Place.Function = FD;
      Place.InCoroutine &= isa_and_nonnull<CoroutineBodyStmt>(FD->getBody());
      return Place;
    } else if (Parent.get<ParmVarDecl>()) {
      // A default argument is evaluated in the caller, where no co_await
      // can be written for it.
      return CallPlace();
    } else if (const auto *Var = Parent.get<VarDecl>()) {
      if (Var->isStaticLocal() && !Place.CannotAwait)
        Place.CannotAwait =
            "co_await is not allowed in the initialiser of a static local";
    } else if (const auto *D = Parent.get<Decl>(); D && isa<DeclContext>(D)) {
      // Namespace or class scope, a block, an Objective-C method.
      return CallPlace();
    }
    Child = Parent;
  }
}

bool isDiscarded(const Expr &E, ASTContext &Ctx) {
  DynTypedNode Child = DynTypedNode::create(E);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return false;
    const Stmt *P = Parents[0].get<Stmt>();
    const Stmt *C = Child.get<Stmt>();
    if (!P)
      return false; // An initialiser, a default argument, ...
    if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            FullExpr, ParenExpr>(P)) {
      Child = Parents[0];
      continue;
    }
    if (const auto *Op = dyn_cast<BinaryOperator>(P); Op && Op->isCommaOp()) {
      if (Op->getLHS() == C)
        return true;
      Child = Parents[0];
      continue;
    }
    if (const auto *Cond = dyn_cast<AbstractConditionalOperator>(P)) {
      if (Cond->getCond() == C)
        return false;
      Child = Parents[0];
      continue;
    }
    if (isa<Expr, ReturnStmt, CoreturnStmt, DeclStmt, CoroutineBodyStmt>(P))
      return false;
    if (const auto *If = dyn_cast<IfStmt>(P))
      return If->getCond() != C;
    if (const auto *While = dyn_cast<WhileStmt>(P))
      return While->getCond() != C;
    if (const auto *Do = dyn_cast<DoStmt>(P))
      return Do->getCond() != C;
    if (const auto *For = dyn_cast<ForStmt>(P))
      return For->getCond() != C;
    if (const auto *Switch = dyn_cast<SwitchStmt>(P))
      return Switch->getCond() != C;
    if (const auto *Range = dyn_cast<CXXForRangeStmt>(P))
      return Range->getBody() == C || Range->getInit() == C;
    if (const auto *Block = dyn_cast<CompoundStmt>(P)) {
      // The last statement of a GNU statement expression is its value.
      DynTypedNodeList Up = Ctx.getParents(*Block);
      if (!Up.empty() && Up[0].get<StmtExpr>() && Block->body_back() == C)
        return false;
    }
    return true; // A statement: compound, label, case, attributed, ...
  }
}

const VarDecl *initialisedVariable(const Expr &E, ASTContext &Ctx) {
  DynTypedNode Child = DynTypedNode::create(E);
  for (;;) {
    DynTypedNodeList Parents = Ctx.getParents(Child);
    if (Parents.empty())
      return nullptr;
    if (const Stmt *P = Parents[0].get<Stmt>()) {
      if (!isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
               FullExpr>(P))
        return nullptr;
      Child = Parents[0];
      continue;
    }
    const auto *Var = Parents[0].get<VarDecl>();
    if (!Var || isa<ParmVarDecl>(Var) || !Var->hasLocalStorage() ||
        Var->isInitCapture() || Var->getInit() != Child.get<Stmt>())
      return nullptr;
    DynTypedNodeList Up = Ctx.getParents(*Var);
    const auto *Decl = Up.empty() ? nullptr : Up[0].get<DeclStmt>();
    return Decl && Decl->isSingleDecl() ? Var : nullptr;
  }
}

std::string displayName(const FunctionDecl &FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD);
      Method && Method->getParent()->isLambda())
    return "lambda";
  // "(anonymous namespace)::" is noise in a message about one's own code.
  PrintingPolicy Policy(FD.getASTContext().getLangOpts());
  Policy.SuppressUnwrittenScope = true;
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  FD.printQualifiedName(OS, Policy);
  return Name;
}

namespace {

/// The plugin's own file, found through the dynamic loader because the
/// host executable is clang-tidy, not us.
std::string pluginPath() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&pluginPath), &Info) || !Info.dli_fname)
    return "";
  SmallString<256> Path;
  if (sys::fs::real_path(Info.dli_fname, Path))
    return Info.dli_fname;
  return std::string(Path);
}

/// posix.yaml in the prefix the plugin lives in; libdir may be lib/ or a
/// multiarch lib/<triple>/, so look a few levels up.
std::string bundledRules() {
  SmallString<256> Dir(pluginPath());
  sys::path::remove_filename(Dir);
  for (int Up = 0; Up < 3 && !Dir.empty(); ++Up) {
    sys::path::remove_filename(Dir);
    SmallString<256> Candidate(Dir);
    sys::path::append(Candidate, VINYL_RULES_SUBDIR, "posix.yaml");
    if (sys::fs::exists(Candidate))
      return std::string(Candidate);
  }
  return "";
}

/// Every check loads the same files for the same TU; parse them once.
struct LoadedConfig {
  std::optional<Config> Cfg;
  std::string Error;
};
StringMap<LoadedConfig> &configCache() {
  static StringMap<LoadedConfig> Cache;
  return Cache;
}

} // namespace

VinylCheck::VinylCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Context(Context),
      RulesFilesOption(Options.getLocalOrGlobal("RulesFiles", "")),
      TaskTypesOption(Options.getLocalOrGlobal("TaskTypes", "")),
      Inserter(Options.getLocalOrGlobal(
                   "IncludeStyle", clang::tidy::utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {}

void VinylCheck::registerPPCallbacks(const SourceManager &, Preprocessor *PP,
                                     Preprocessor *) {
  Inserter.registerPreprocessor(PP);
}

void VinylCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "RulesFiles", RulesFilesOption);
  Options.store(Opts, "TaskTypes", TaskTypesOption);
}

void VinylCheck::reportConfigError(StringRef Message, StringRef Effect) {
  auto [Where, What] = Message.split(": error: ");
  std::string Text = What.empty() ? Message.str() : (Where + ": " + What).str();
  configurationDiag(Text + "; " + Effect.str());
}

std::string VinylCheck::resolveOptionPath(StringRef Path) const {
  if (Path.empty() || sys::path::is_absolute(Path))
    return Path.str();
  SmallString<256> Abs(Context->getCurrentBuildDirectory());
  sys::path::append(Abs, Path);
  return std::string(Abs);
}

bool VinylCheck::matchUserCalls(ast_matchers::MatchFinder *Finder) {
  using namespace ast_matchers;
  if (!config())
    return false;
  Finder->addMatcher(callExpr(unless(isExpansionInSystemHeader()),
                              unless(isInTemplateInstantiation()))
                         .bind("call"),
                     this);
  return true;
}

const Config *VinylCheck::config() {
  if (Loaded)
    return Cfg ? &*Cfg : nullptr;
  Loaded = true;
  std::string Bundled = bundledRules();
  if (Bundled.empty()) {
    configurationDiag("the vinyl rules are missing: expected " +
                      std::string(VINYL_RULES_SUBDIR) +
                      "/posix.yaml in the prefix of " + pluginPath() +
                      "; the vinyl checks are off");
    return nullptr;
  }
  // The sources a conversion run reads, in its order (loadRunConfig).
  SmallString<256> Dir(getCurrentMainFile());
  sys::path::remove_filename(Dir);
  ConfigSources Sources{std::move(Bundled), std::string(Dir), {}};
  for (StringRef F :
       clang::tidy::utils::options::parseStringList(RulesFilesOption))
    Sources.Extra.push_back(resolveOptionPath(F.trim()));

  std::string Key = Sources.BundledRules + "\n" + Sources.ProjectDir + "\n" +
                    llvm::join(Sources.Extra, "\n");
  auto [It, New] = configCache().try_emplace(Key);
  LoadedConfig &L = It->second;
  if (New) {
    if (Expected<Config> C = loadRunConfig(Sources))
      L.Cfg = std::move(*C);
    else
      L.Error = toString(C.takeError());
  }
  if (!L.Cfg) {
    // Every vinyl check would say the same; say it once per process.
    static StringSet<> Reported;
    if (Reported.insert(L.Error).second)
      reportConfigError(L.Error, "the vinyl checks are off");
    return nullptr;
  }
  Cfg = *L.Cfg;
  for (StringRef T :
       clang::tidy::utils::options::parseStringList(TaskTypesOption))
    if (!T.trim().empty())
      TaskTypes.push_back(T.trim().str());
  if (TaskTypes.empty())
    TaskTypes.push_back(Cfg->TaskType);
  return &*Cfg;
}

std::optional<FixItHint> VinylCheck::includeRuntime(const SourceManager &SM) {
  if (!Cfg || Cfg->TaskHeader.empty())
    return std::nullopt;
  // A header that includes the runtime makes another #include noise.
  StringRef Spelled = StringRef(Cfg->TaskHeader).trim("<>\"");
  for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End;
       ++It) {
    StringRef Name = It->first.getName();
    if (Name.ends_with(Spelled) &&
        (Name.size() == Spelled.size() ||
         sys::path::is_separator(Name[Name.size() - Spelled.size() - 1])))
      return std::nullopt;
  }
  return Inserter.createMainFileIncludeInsertion(Cfg->TaskHeader);
}

} // namespace vinyl::tidy
