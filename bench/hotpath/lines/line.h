// Reads one line (up to "\n", without it and without a trailing "\r") from a
// buffered byte reader, one get_byte call per byte, as HTTP libraries read
// request and header lines.
#pragma once
#include "reader.h"
#include <string>

/// False at end of input when no byte was read.
bool read_line(ByteReader &r, std::string &line);
