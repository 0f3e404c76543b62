#include "block.h"

#include <unistd.h>

long read_block(int fd, char *buf) { return ::read(fd, buf, block_size); }
