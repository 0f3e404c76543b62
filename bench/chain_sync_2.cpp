// Level 2 of the synchronous chain (see chain.hpp).
#include "chain.hpp"

ssize_t sync_f2(int fd, void *buf, std::size_t len) {
  return sync_f3(fd, buf, len);
}
