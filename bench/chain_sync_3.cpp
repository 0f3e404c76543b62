// Level 3 of the synchronous chain (see chain.hpp).
#include "chain.hpp"

ssize_t sync_f3(int fd, void *buf, std::size_t len) {
  return sync_f4(fd, buf, len);
}
