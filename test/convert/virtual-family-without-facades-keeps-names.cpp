// An override family used only from async code keeps its names: no
// facades, the base's virtual becomes a coroutine too, and a call through
// a base pointer is awaited (with parentheses where `->` needs them).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      struct Reader {
// CHECK-NEXT:   virtual ~Reader() = default;
// CHECK-NEXT:   virtual vinyl::task<int> byte() { co_return 0; }
// CHECK-NEXT: };
// CHECK:        vinyl::task<int> byte() override {
// CHECK-NEXT:     char c = 0;
// CHECK-NEXT:     co_await vinyl::io::read(fd, &c, 1);
// CHECK-NEXT:     co_return c;
// CHECK-NEXT:   }
// CHECK:      static vinyl::task<int> twice(Reader *r) {
// CHECK-NEXT:   co_return co_await r->byte() + co_await r->byte();
// CHECK-NEXT: }
// CHECK:      static vinyl::task<int> run_async(Reader *r) { co_return co_await twice(r); }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <unistd.h>

namespace {
struct Reader {
  virtual ~Reader() = default;
  virtual int byte() { return 0; }
};

struct FdReader : Reader {
  int fd = 0;
  int byte() override {
    char c = 0;
    ::read(fd, &c, 1);
    return c;
  }
};
} // namespace

static int twice(Reader *r) {
  return r->byte() + r->byte();
}

static int run(Reader *r) { return twice(r); }

int main() {
  FdReader f;
  return run(&f);
}
