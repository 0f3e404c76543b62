//===- ReportInternal.h - What the reports share ----------------*- C++ -*-===//
//
// Private to lib/report/: how places are printed, which calls carry I/O
// (the edges --explain and --graph draw), and writing a report file.
//
//===----------------------------------------------------------------------===//
#ifndef VINYL_ASYNCIFY_LIB_REPORT_REPORTINTERNAL_H
#define VINYL_ASYNCIFY_LIB_REPORT_REPORTINTERNAL_H

#include "vinyl-asyncify/report/Report.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include <map>
#include <string>
#include <vector>

namespace vinyl::report {

/// "file:line:col", or "" for an unknown place.
std::string where(const Location &L);

/// The calls out of each function that carry I/O: to a leaf or to an
/// async function, not a blocking wait and not an address.
std::map<std::string, std::vector<size_t>> ioCallsByCaller(const Facts &F,
                                                            const Solution &S);

/// Writes \p Path with \p Write; a failure names the file.
llvm::Error writeFile(llvm::StringRef Path,
                      llvm::function_ref<void(llvm::raw_ostream &)> Write);

} // namespace vinyl::report

#endif
