// If one override of a virtual function reaches I/O, its whole override
// family becomes async (the pure base, the I/O override, an override that
// does no I/O), across headers, out-of-line definitions and translation
// units; a call through the base reference is awaited. Public API keeps
// facades, and every member keeps one so the sync names still override.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t stream.cpp sum.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --check-prefix=HDR --match-full-lines --input-file=%t/stream.h
// RUN: FileCheck %s --check-prefix=IMPL --match-full-lines --input-file=%t/stream.cpp
// RUN: FileCheck %s --check-prefix=SUM --match-full-lines --input-file=%t/sum.cpp
// RUN: %compile-both %t/stream.cpp %t/sum.cpp

// HDR:      class Stream {
// HDR-NEXT: public:
// HDR-NEXT:   virtual ~Stream();
// HDR-NEXT:   virtual vinyl::task<int> get_async() = 0;
// HDR-NEXT:   virtual int get() = 0;
// HDR-NEXT:   virtual std::string describe() const;
// HDR-NEXT: };
// HDR:        vinyl::task<int> get_async() override;
// HDR-NEXT:   int get() override;
// HDR:      class Repeat : public Stream {
// HDR-NEXT: public:
// HDR-NEXT:   vinyl::task<int> get_async() override { co_return 'r'; }
// HDR-EMPTY:
// HDR-NEXT:   int get() override {
// HDR-NEXT:     return vinyl::block_on(get_async());
// HDR-NEXT:   }
// HDR-NEXT: };

// IMPL:      std::string Stream::describe() const { return "stream"; }
// IMPL-EMPTY:
// IMPL-NEXT: vinyl::task<int> FdStream::get_async() {
// IMPL-NEXT:   unsigned char c = 0;
// IMPL-NEXT:   co_return co_await vinyl::io::read(fd_, &c, 1) == 1 ? c : -1;
// IMPL-NEXT: }

// SUM:      vinyl::task<int> checksum_async(Stream &s, int n) {
// SUM-NEXT:   int sum = 0;
// SUM-NEXT:   while (n-- > 0)
// SUM-NEXT:     sum += co_await s.get_async();
// SUM-NEXT:   co_return sum;
// SUM-NEXT: }

//--- stream.h
#pragma once
#include <string>

namespace io {
class Stream {
public:
  virtual ~Stream();
  virtual int get() = 0;
  virtual std::string describe() const;
};

class FdStream final : public Stream {
public:
  explicit FdStream(int fd) : fd_(fd) {}
  int get() override;

private:
  int fd_;
};

class Repeat : public Stream {
public:
  int get() override { return 'r'; }
};

int checksum(Stream &s, int n);
} // namespace io
//--- stream.cpp
#include "stream.h"
#include <unistd.h>

namespace io {
Stream::~Stream() = default;
std::string Stream::describe() const { return "stream"; }

int FdStream::get() {
  unsigned char c = 0;
  return ::read(fd_, &c, 1) == 1 ? c : -1;
}
} // namespace io
//--- sum.cpp
#include "stream.h"

namespace io {
int checksum(Stream &s, int n) {
  int sum = 0;
  while (n-- > 0)
    sum += s.get();
  return sum;
}
} // namespace io
