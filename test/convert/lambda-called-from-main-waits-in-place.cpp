// A lambda has no name a facade could keep, so synchronous code calling a
// lambda that became a coroutine waits on it where it is called:
// `vinyl::block_on(say(...))`. The program still behaves the same.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out && %t/conv.gcc > %t/gcc.out && %t/conv.clang > %t/clang.out
// RUN: diff %t/orig.out %t/gcc.out && diff %t/orig.out %t/clang.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out

// CHECK:      int main() {
// CHECK-NEXT:   auto say = [](const std::string &s) -> vinyl::task<void> { co_await vinyl::io::write(1, s.data(), s.size()); };
// CHECK-NEXT:   vinyl::block_on(say("hello\n"));
// CHECK-NEXT:   vinyl::block_on(say("world\n"));
// CHECK-NEXT: }

// OUT:      hello
// OUT-NEXT: world

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <string>
#include <unistd.h>

int main() {
  auto say = [](const std::string &s) { ::write(1, s.data(), s.size()); };
  say("hello\n");
  say("world\n");
}
