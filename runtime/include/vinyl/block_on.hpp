// vinyl::block_on: run a task to completion on the calling thread.
//
// This is what a synchronous facade calls. Under the blocking backend every
// I/O leaf is immediately ready, so one resume() runs the whole call tree. A
// task that suspends anyway would wait for an event loop that does not exist;
// rather than hang, block_on destroys it and throws no_event_loop.
#pragma once

#include <vinyl/task.hpp>

#include <stdexcept>

namespace vinyl {

class no_event_loop : public std::logic_error {
public:
  no_event_loop()
      : std::logic_error(
            "vinyl::block_on: the coroutine suspended under the blocking "
            "backend, but no event loop is running to resume it (it "
            "co_awaited something that was not immediately ready)") {}
};

// Returns the task's result, or rethrows the exception that escaped it.
// Throws no_event_loop, after destroying the task's frames, if it suspended.
template <class T> T block_on(task<T> t) {
  t.handle_.resume();
  if (!t.handle_.done())
    throw no_event_loop();
  return t.handle_.promise().result();
}

} // namespace vinyl
