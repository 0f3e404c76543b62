// A loop that awaits a function which finishes at once, a million times
// (one read(2) per byte of a 1 MB file; in blocking mode no await ever
// suspends), must run in constant stack however the converted program is
// built. g++ emits symmetric transfer as a tail call only as a sibling-call
// optimisation, so without -O, or under AddressSanitizer, every iteration
// used to nest a few frames until the stack overflowed (taopq's COPY loop
// crashed so); there the runtime awaits inline instead (task.hpp,
// VINYL_INLINE_AWAIT), and --print-runtime-flags carries
// -foptimize-sibling-calls for the levels between. Both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t count.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/count.cpp
// RUN: head -c 1000000 /dev/zero > %t/input.bin
// RUN: %gxx -std=c++20 -I%vinyl_build/include -pthread %t/count.cpp -o %t/o0
// RUN: %t/o0 %t/input.bin | FileCheck %s --check-prefix=OUT
// RUN: env VINYL_IO=async %t/o0 %t/input.bin | FileCheck %s --check-prefix=OUT
// RUN: %gxx -std=c++20 -fsanitize=address -I%vinyl_build/include -pthread %t/count.cpp -o %t/asan
// RUN: %t/asan %t/input.bin | FileCheck %s --check-prefix=OUT
// RUN: sh -c '%gxx -std=c++20 -O1 $(%vinyl --print-runtime-flags) %t/count.cpp -o %t/o1'
// RUN: %t/o1 %t/input.bin | FileCheck %s --check-prefix=OUT
// RUN: %clangxx -std=c++20 -I%vinyl_build/include -pthread %t/count.cpp -o %t/clang
// RUN: %t/clang %t/input.bin | FileCheck %s --check-prefix=OUT

// CHECK: static vinyl::task<int> next_byte(int fd, char *c) { co_return static_cast<int>(co_await vinyl::io::read(fd, c, 1)); }
// CHECK: while (co_await next_byte(fd, &c) > 0)

// OUT: 1000000

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- count.cpp
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

static int next_byte(int fd, char *c) { return static_cast<int>(::read(fd, c, 1)); }

static long count_bytes(int fd) {
  long n = 0;
  char c;
  while (next_byte(fd, &c) > 0)
    ++n;
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  int fd = ::open(argv[1], O_RDONLY);
  if (fd < 0)
    return 2;
  std::printf("%ld\n", count_bytes(fd));
  ::close(fd);
}
