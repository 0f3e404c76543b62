// `sleep` and `usleep` are bundled leaves: their calls become `co_await
// vinyl::io::sleep(...)` and `co_await vinyl::io::usleep(...)`, keeping
// their results, and the converted program prints the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %gxx %cxxflags -o %t.orig-bin %t/a.cpp
// RUN: %t.orig-bin > %t.expected
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc > %t.gcc
// RUN: %t.conv.clang > %t.clang
// RUN: diff %t.expected %t.gcc
// RUN: diff %t.expected %t.clang

// CHECK:      static vinyl::task<unsigned> pause_s_async() { co_return co_await vinyl::io::sleep(0); }
// CHECK:      static vinyl::task<int> pause_us_async() { co_return co_await vinyl::io::usleep(100); }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <unistd.h>

static unsigned pause_s() { return ::sleep(0); }
static int pause_us() { return ::usleep(100); }

int main() {
  std::printf("%u %d\n", pause_s(), pause_us());
}
