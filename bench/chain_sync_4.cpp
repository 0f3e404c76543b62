// Level 4 of the synchronous chain (see chain.hpp).
#include "chain.hpp"

ssize_t sync_f4(int fd, void *buf, std::size_t len) {
  return sync_f5(fd, buf, len);
}
