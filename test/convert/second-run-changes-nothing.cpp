// Converting converted code changes nothing: a second run over the tree
// (sources, header, facades, coroutines) leaves every file byte-identical.
// RUN: rm -rf %t %t.once && split-file %s %t && %mkdb %t a.cpp b.cpp
// RUN: %vinyl %t
// RUN: cp -r %t %t.once
// RUN: %vinyl %t
// RUN: diff -r %t.once %t
// RUN: %compile-both %t/a.cpp %t/b.cpp

//--- api.h
#pragma once
namespace io {
struct Reader {
  int fd;
  int next() const;
  static Reader open(int fd);
};
int pair(const Reader &r);
} // namespace io
//--- a.cpp
#include "api.h"
#include <unistd.h>

int io::Reader::next() const {
  char c = 0;
  ::read(fd, &c, 1);
  return c;
}

io::Reader io::Reader::open(int fd) {
  Reader r{fd};
  r.next();
  return r;
}

static int helper(const io::Reader &r) { return r.next() * 256; }

int io::pair(const Reader &r) { return helper(r) + r.next(); }
//--- b.cpp
#include "api.h"
#include <cstdio>

int main() {
  io::Reader r = io::Reader::open(0);
  std::printf("%d\n", io::pair(r));
}
