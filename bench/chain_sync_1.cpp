// Level 1 of the synchronous chain (see chain.hpp).
#include "chain.hpp"

ssize_t sync_f1(int fd, void *buf, std::size_t len) {
  return sync_f2(fd, buf, len);
}
