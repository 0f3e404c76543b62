// `int main(int, char **)` leaves its parameters unnamed: `main_async`
// keeps them so, and the facade names them (`vinyl_arg1`) to forward them.
// `char *argv[]` is kept as written. Both convert and run in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=ARRAY --match-full-lines --input-file=%t/b.cpp
// RUN: %build-both %t/a %t/a.cpp
// RUN: %build-both %t/b %t/b.cpp
// RUN: %t/a.gcc > %t/a.out && %t/a.clang >> %t/a.out
// RUN: env VINYL_IO=async %t/a.gcc >> %t/a.out && env VINYL_IO=async %t/a.clang >> %t/a.out
// RUN: %t/b.gcc x > %t/b.out && %t/b.clang x >> %t/b.out
// RUN: env VINYL_IO=async %t/b.gcc x >> %t/b.out && env VINYL_IO=async %t/b.clang x >> %t/b.out
// RUN: FileCheck %s --check-prefix=A-OUT --match-full-lines --input-file=%t/a.out
// RUN: FileCheck %s --check-prefix=B-OUT --match-full-lines --input-file=%t/b.out
// RUN: %vinyl --check %t

// CHECK:      vinyl::task<int> main_async(int, char **) {
// CHECK-NEXT:   co_await vinyl::io::write(1, "unnamed\n", 8);
// CHECK-NEXT:   co_return 0;
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: int main(int vinyl_arg1, char **vinyl_arg2) {
// CHECK-NEXT:   return vinyl::block_on(main_async(vinyl_arg1, vinyl_arg2));
// CHECK-NEXT: }

// ARRAY:      vinyl::task<int> main_async(int argc, char *argv[]) {
// ARRAY:      int main(int argc, char *argv[]) {
// ARRAY-NEXT:   return vinyl::block_on(main_async(argc, argv));
// ARRAY-NEXT: }

// A-OUT-COUNT-4: unnamed
// B-OUT-COUNT-4: 2 arguments, the last x

//--- a.cpp
#include <unistd.h>

int main(int, char **) {
  ::write(1, "unnamed\n", 8);
  return 0;
}
//--- b.cpp
#include <cstdio>
#include <cstring>
#include <unistd.h>

int main(int argc, char *argv[]) {
  char line[64];
  int n = std::snprintf(line, sizeof line, "%d arguments, the last %s\n", argc,
                        argv[argc - 1]);
  ::write(1, line, n);
  return 0;
}
