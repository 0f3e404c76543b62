// Level 5 of the synchronous chain (see chain.hpp): the read(2) leaf.
#include "chain.hpp"

#include <unistd.h>

ssize_t sync_f5(int fd, void *buf, std::size_t len) {
  return ::read(fd, buf, len);
}
