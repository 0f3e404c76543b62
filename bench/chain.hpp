// The benchmarked call chain: five levels, one translation unit each, down to
// a read(2). The sync_* functions are the hand-written synchronous original,
// the coro_* functions the same chain as vinyl::task coroutines.
#pragma once

#include <vinyl/vinyl.hpp>

#include <cstddef>
#include <sys/types.h>

ssize_t sync_f1(int fd, void *buf, std::size_t len);
ssize_t sync_f2(int fd, void *buf, std::size_t len);
ssize_t sync_f3(int fd, void *buf, std::size_t len);
ssize_t sync_f4(int fd, void *buf, std::size_t len);
ssize_t sync_f5(int fd, void *buf, std::size_t len);

vinyl::task<ssize_t> coro_f1(int fd, void *buf, std::size_t len);
vinyl::task<ssize_t> coro_f2(int fd, void *buf, std::size_t len);
vinyl::task<ssize_t> coro_f3(int fd, void *buf, std::size_t len);
vinyl::task<ssize_t> coro_f4(int fd, void *buf, std::size_t len);
vinyl::task<ssize_t> coro_f5(int fd, void *buf, std::size_t len);
