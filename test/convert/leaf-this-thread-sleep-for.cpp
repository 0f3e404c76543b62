// `std::this_thread::sleep_for` is a bundled leaf: it becomes
// `co_await vinyl::io::sleep_for(...)` with the same duration argument,
// and the converted program still runs.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t.conv %t/a.cpp
// RUN: %t.conv.gcc | FileCheck %s --check-prefix=OUT
// RUN: %t.conv.clang | FileCheck %s --check-prefix=OUT

// CHECK:      static vinyl::task<void> nap_async(int ms) {
// CHECK-NEXT:   std::this_thread::yield();
// CHECK-NEXT:   co_await vinyl::io::sleep_for(std::chrono::milliseconds(ms));
// CHECK-NEXT: }
// CHECK-NOT:  std::this_thread::sleep_for

// OUT: slept

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <chrono>
#include <cstdio>
#include <thread>

static void nap(int ms) {
  std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

int main() {
  nap(1);
  std::puts("slept");
}
