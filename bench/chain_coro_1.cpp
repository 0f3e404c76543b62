// Level 1 of the coroutine chain (see chain.hpp).
#include "chain.hpp"

vinyl::task<ssize_t> coro_f1(int fd, void *buf, std::size_t len) {
  co_return co_await coro_f2(fd, buf, len);
}
