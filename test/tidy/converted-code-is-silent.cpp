// What vinyl-asyncify writes is what the checks ask for: after a conversion
// (coroutines, facades, block_on in main, awaited leaves) every vinyl check
// is silent and nothing is fixed.
// REQUIRES: clang-tidy
// RUN: rm -rf %t && split-file %s %t && %mkdb %t main.cpp reader.cpp
// RUN: %vinyl %t
// RUN: grep -q 'co_await vinyl::io::read' %t/reader.cpp
// RUN: %check_tidy %t/reader.cpp 'vinyl-*' %t/reader.tidy.cpp
// RUN: %check_tidy %t/main.cpp 'vinyl-*' %t/main.tidy.cpp

//--- reader.h
struct Reader {
  int fd;
  int get();
  int sum(int n);
};

//--- reader.cpp
#include "reader.h"
#include <unistd.h>

int Reader::get() {
  char c = 0;
  if (::read(fd, &c, 1) != 1)
    return -1;
  return c;
}

int Reader::sum(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i)
    total += get();
  return total;
}

//--- main.cpp
#include "reader.h"

int main() {
  Reader r{0};
  return r.sum(2) + r.get();
}
