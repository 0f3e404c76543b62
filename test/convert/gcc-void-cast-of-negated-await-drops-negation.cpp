// `(void)!write(...)` silences warn_unused_result; converted, g++ 12 warns
// that the value of `!co_await ...` is not used though it is cast to void,
// an error under -Werror (which %build-both uses). For g++ the `!` goes,
// since negating a built-in value has no effect of its own; for clang++,
// which does not warn, the statement keeps it. Both builds print what the
// original printed, in both modes.
// RUN: rm -rf %t %t-clang && split-file %s %t && %mkdb %t a.cpp
// RUN: cp -r %t %t-clang && %mkdb --compiler clang++-22 %t-clang a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: env VINYL_IO=async %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: %vinyl %t-clang
// RUN: FileCheck %s --check-prefix=CLANG --match-full-lines --input-file=%t-clang/a.cpp
// RUN: %clangxx %cxxflags %t-clang/a.cpp -pthread -o %t/conv-clang
// RUN: %t/conv-clang > %t/conv-clang.out && diff %t/orig.out %t/conv-clang.out

// CHECK:      static vinyl::task<void> say_async(const char *s) {
// CHECK-NEXT:   (void)co_await vinyl::io::write(1, s, std::strlen(s));
// CHECK-NEXT:   static_cast<void>(co_await vinyl::io::write(1, "!\n", 2));

// CLANG:        (void)!co_await vinyl::io::write(1, s, std::strlen(s));
// CLANG-NEXT:   static_cast<void>(!co_await vinyl::io::write(1, "!\n", 2));

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstring>
#include <unistd.h>

static void say(const char *s) {
  (void)!::write(1, s, std::strlen(s));
  static_cast<void>(!::write(1, "!\n", 2));
}

int main() {
  say("hello");
  say("again");
}
