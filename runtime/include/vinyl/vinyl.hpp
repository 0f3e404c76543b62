// The vinyl runtime: everything code converted by vinyl-asyncify needs.
//
// Header-only and free of Clang. Both modes need nothing beyond the C++20
// standard library, POSIX and the Linux kernel headers: the async backends
// call io_uring and epoll directly, so no library is linked.
//
// Every converted file includes this, so what it includes is kept to what
// the runtime needs (see "Compile cost" in docs/runtime.md); <utility> is
// for the facades the tool writes, which call std::move.
#pragma once

#include <vinyl/block_on.hpp>
#include <vinyl/caught.hpp>
#include <vinyl/error.hpp>
#include <vinyl/event_loop.hpp>
#include <vinyl/fast_task.hpp>
#include <vinyl/frame_allocator.hpp>
#include <vinyl/io.hpp>
#include <vinyl/spawn.hpp>
#include <vinyl/task.hpp>
#include <vinyl/when_all.hpp>

#include <utility>
