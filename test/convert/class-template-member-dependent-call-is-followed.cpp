// A member function of a class template that calls through a dependent
// member (`s_.get(...)` on a `Stream &`) is followed in each
// specialization the TU instantiates: LineReader<FdStream>::fill reaches
// FdStream::get, which reaches read(2), so the pattern's fill becomes a
// coroutine awaiting the coroutine FdStream::get_async, and next (defined
// out of line) awaits fill and keeps a template facade for main. The
// converted program prints the same with both compilers in blocking and
// async mode.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t main.cpp
// RUN: %build-both %t/orig %t/main.cpp
// RUN: %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/stream.h
// RUN: %build-both %t/conv %t/main.cpp -pthread
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async %t/conv.clang < %t/input.txt > %t/clang-async.out && diff %t/orig.out %t/clang-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      template <class Stream> class LineReader {
// CHECK-NEXT: public:
// CHECK-NEXT:   explicit LineReader(Stream &s) : s_(s) {}
// CHECK-NEXT:   vinyl::task<bool> next_async(std::string &line);
// CHECK-NEXT:   bool next(std::string &line);
// CHECK:        vinyl::task<long> fill() { co_return co_await s_.get_async(buf_, sizeof buf_); }
// CHECK:      template <class Stream> vinyl::task<bool> LineReader<Stream>::next_async(std::string &line) {
// CHECK:            len_ = co_await fill();
// CHECK:              co_return !line.empty();
// CHECK:      template <class Stream> bool LineReader<Stream>::next(std::string &line) {
// CHECK-NEXT:   return vinyl::block_on(next_async(line));
// CHECK-NEXT: }

// OUT:      1: alpha
// OUT-NEXT: 2: beta
// OUT-NEXT: 3: tail

//--- input.txt
alpha
beta
tail
//--- stream.h
#pragma once
#include <string>
#include <unistd.h>

struct FdStream {
  int fd;
  long get(char *buf, long n) { return ::read(fd, buf, n); }
};

template <class Stream> class LineReader {
public:
  explicit LineReader(Stream &s) : s_(s) {}
  bool next(std::string &line);
  int count() const { return n_; }

private:
  long fill() { return s_.get(buf_, sizeof buf_); }
  Stream &s_;
  char buf_[64];
  long pos_ = 0, len_ = 0;
  int n_ = 0;
};

template <class Stream> bool LineReader<Stream>::next(std::string &line) {
  line.clear();
  for (;;) {
    if (pos_ == len_) {
      len_ = fill();
      pos_ = 0;
      if (len_ <= 0)
        return !line.empty();
    }
    char c = buf_[pos_++];
    if (c == '\n') {
      ++n_;
      return true;
    }
    line += c;
  }
}
//--- main.cpp
#include "stream.h"
#include <cstdio>

int main() {
  FdStream in{0};
  LineReader<FdStream> reader(in);
  std::string line;
  while (reader.next(line))
    std::printf("%d: %s\n", reader.count(), line.c_str());
}
