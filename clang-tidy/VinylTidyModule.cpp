//===- VinylTidyModule.cpp - The vinyl-* clang-tidy checks ----------------===//
//
// Registers the checks with the host clang-tidy when the plugin is loaded
// (`clang-tidy -load libVinylTidy.so --checks='vinyl-*'`). The registry the
// entry below joins lives in the clang-tidy executable, which exports it;
// see clang-tidy/CMakeLists.txt for why the plugin must not link its own.
//
//===----------------------------------------------------------------------===//
#include "BlockingCallInCoroutineCheck.h"
#include "BlockingWaitInCoroutineCheck.h"
#include "NeedsAsyncCheck.h"
#include "UnawaitedTaskCheck.h"

#include "clang-tidy/ClangTidyModule.h"

namespace vinyl::tidy {
namespace {

class VinylTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<BlockingCallInCoroutineCheck>(
        "vinyl-blocking-call-in-coroutine");
    CheckFactories.registerCheck<BlockingWaitInCoroutineCheck>(
        "vinyl-blocking-wait-in-coroutine");
    CheckFactories.registerCheck<NeedsAsyncCheck>("vinyl-needs-async");
    CheckFactories.registerCheck<UnawaitedTaskCheck>("vinyl-unawaited-task");
  }
};

clang::tidy::ClangTidyModuleRegistry::Add<VinylTidyModule>
    Registration("vinyl-module", "Checks for code converted to coroutines by "
                                 "vinyl-asyncify.");

} // namespace
} // namespace vinyl::tidy
