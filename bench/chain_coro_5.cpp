// Level 5 of the coroutine chain (see chain.hpp): the read(2) leaf.
#include "chain.hpp"

vinyl::task<ssize_t> coro_f5(int fd, void *buf, std::size_t len) {
  co_return co_await vinyl::io::read(fd, buf, len);
}
