//===- CallbackTasks.h - Copies of text that writes a callback type -*- C++ -*-===//
//
// A callback type written inline (std::function<int(char *, int)>) whose
// family becomes async has its result rewritten at every place it is
// written. Text the rewrite copies (a facade's signature, a declaration a
// facade keeps) must say the same, or the facade's parameters would not
// hold what the coroutine's do. Private to lib/rewrite/.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REWRITE_CALLBACKTASKS_H
#define VINYL_ASYNCIFY_LIB_REWRITE_CALLBACKTASKS_H

#include "vinyl-asyncify/rewrite/Rewrite.h"

#include <map>
#include <string>
#include <vector>

namespace vinyl {

class CallbackTasks {
public:
  CallbackTasks(const Facts &F, const Solution &S, const Config &C,
                SourceFiles &Sources);

  /// \p Copy, a copy of \p File's text from \p Begin that may have
  /// parameter names inserted, with the result of each callback type it
  /// writes that becomes a task rewritten as in the file.
  llvm::Expected<std::string> apply(std::string Copy, llvm::StringRef File,
                                    unsigned Begin) const;

private:
  /// The result type of a callback type that becomes a task, at one of
  /// the places it is written.
  struct Place {
    unsigned Offset, Length;
    std::string Task;
  };
  std::map<std::string, std::vector<Place>> Places;
  SourceFiles &Sources;
};

} // namespace vinyl

#endif
