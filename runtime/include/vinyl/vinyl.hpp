// The vinyl runtime: everything code converted by vinyl-asyncify needs.
//
// Header-only and free of Clang; with the blocking backend it needs nothing
// beyond the C++20 standard library and POSIX.
#pragma once

#include <vinyl/block_on.hpp>
#include <vinyl/frame_allocator.hpp>
#include <vinyl/io.hpp>
#include <vinyl/task.hpp>
