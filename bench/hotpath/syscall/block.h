// Three levels over one read(2) per call, each in its own translation unit:
// read_message -> read_frame -> read_block -> read(2), 64 bytes a call, no
// buffering (every call is a system call).
#pragma once
#include <cstddef>

constexpr std::size_t block_size = 64;

/// One read(2) of up to block_size bytes; its result.
long read_block(int fd, char *buf);
/// read_block, with EINTR retried; -1 on an error, 0 at end of input.
long read_frame(int fd, char *buf);
/// read_frame, and a checksum byte of what was read (0 when nothing was).
long read_message(int fd, char *buf, unsigned &sum);
