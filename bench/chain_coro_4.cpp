// Level 4 of the coroutine chain (see chain.hpp).
#include "chain.hpp"

vinyl::task<ssize_t> coro_f4(int fd, void *buf, std::size_t len) {
  co_return co_await coro_f5(fd, buf, len);
}
