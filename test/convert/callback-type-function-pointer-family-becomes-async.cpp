// A function-pointer alias named by `callback_types` (here in the project's
// .vinyl.yaml) narrows escaping addresses: the functions stored as it form
// one family. One of them reaches I/O, so all become coroutines (handle_zero
// gets `co_return`), the alias's result becomes a task, and calls through
// it are awaited (dispatch) or, from main, wait in place with block_on. A
// member that keeps a blocking facade (handle_write, called from main) is
// stored by its coroutine's name. The converted program prints the same in
// blocking and async mode, and is at the fixpoint.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      using Handler = vinyl::task<long> (*)(int fd);
// CHECK:      static vinyl::task<long> handle_zero(int fd) {
// CHECK-NEXT:   (void)fd;
// CHECK-NEXT:   co_return 0;
// CHECK-NEXT: }
// CHECK-NEXT: vinyl::task<long> handle_write_async(int fd) { co_return co_await vinyl::io::write(fd, "w", 1); }
// CHECK:      static const Command commands[] = {
// CHECK-NEXT:     {"read", handle_read}, {"zero", &handle_zero}, {"write", handle_write_async}};
// CHECK:            co_return co_await c.run(fd);
// CHECK:        Handler h = handle_write_async;
// CHECK-NEXT:   std::printf("h %ld\n", vinyl::block_on(h(p[1])));
// CHECK-NEXT:   std::printf("direct %ld\n", handle_write(p[1]));

// OUT:      read 3
// OUT-NEXT: zero 0
// OUT-NEXT: h 1
// OUT-NEXT: direct 1

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
callback_types: [Handler]
//--- a.cpp
#include <cstdio>
#include <cstring>
#include <unistd.h>

using Handler = long (*)(int fd);

static long handle_read(int fd) {
  char buf[16];
  return ::read(fd, buf, sizeof buf);
}
static long handle_zero(int fd) {
  (void)fd;
  return 0;
}
long handle_write(int fd) { return ::write(fd, "w", 1); }

struct Command {
  const char *name;
  Handler run;
};
static const Command commands[] = {
    {"read", handle_read}, {"zero", &handle_zero}, {"write", handle_write}};

static long dispatch(const char *name, int fd) {
  for (const Command &c : commands)
    if (std::strcmp(c.name, name) == 0)
      return c.run(fd);
  return -1;
}

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  ::write(p[1], "abc", 3);
  std::printf("read %ld\n", dispatch("read", p[0]));
  std::printf("zero %ld\n", dispatch("zero", p[0]));
  Handler h = handle_write;
  std::printf("h %ld\n", h(p[1]));
  std::printf("direct %ld\n", handle_write(p[1]));
}
