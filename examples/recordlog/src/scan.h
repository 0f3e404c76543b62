// Checking a whole log through pread(): shared by Writer::open (to find the
// end) and by scan()/repair().
#pragma once

#include "recordlog/recordlog.h"

#include <string>

namespace recordlog::detail {

/// Checks the file magic (writing it when the file is empty and fd is
/// writable is the caller's business) and every record after it.
ScanReport scan_fd(int fd, const std::string &path, const Options &options);

} // namespace recordlog::detail
