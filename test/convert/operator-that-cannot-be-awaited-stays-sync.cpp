// An operator that reaches I/O where no call of it can be awaited stays
// synchronous, with a warning that says where it is called: an iterator's
// operator++ that a range-for calls for its iteration (an implicit call;
// was: converted, the range-for dropped the task and looped forever), and
// one that synchronous code calls (`++it` in main; was: the whole run
// refused, since an operator cannot keep a facade under another name). Its
// own read waits for the awaitable in place; the function around the
// range-for, with nothing else to await, stays as it is. The program
// builds with both compilers and prints what the original prints in both
// modes, and --check then finds nothing.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp && %t/orig.gcc < %t/input > %t/orig.out
// RUN: %vinyl %t 2> %t.err
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc < %t/input > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input > %t/async.out && diff %t/orig.out %t/async.out
// RUN: not %vinyl --check %t 2> %t.fixpoint
// RUN: FileCheck %s --check-prefix=FIXPOINT --input-file=%t.fixpoint

// After the conversion --check says the fallback warnings again.
// FIXPOINT: a.cpp:8:15: warning: operator 'Bytes::iterator::operator++' reaches blocking I/O but cannot become a coroutine: {{.*}} [vinyl-blocking-fallback]
// FIXPOINT-NEXT: a.cpp:21:15: note: a range-for calls it here for its iteration, which cannot await
// FIXPOINT-NEXT: a.cpp:9:11: note: 'Bytes::iterator::operator++' waits with 'vinyl::block_on' here
// FIXPOINT-NEXT: a.cpp:28:9: warning: operator 'Word::operator++' reaches blocking I/O but cannot become a coroutine: {{.*}} [vinyl-blocking-fallback]
// FIXPOINT-NEXT: a.cpp:30:12: note: 'Word::operator++' waits with 'vinyl::block_on' here
// FIXPOINT-NEXT: 2 problems found (warnings)

// WARN:      a.cpp:7:15: warning: operator 'Bytes::iterator::operator++' reaches blocking I/O but cannot become a coroutine: it stays synchronous
// WARN-NEXT: a.cpp:20:15: note: a range-for calls it here for its iteration, which cannot await
// WARN-NEXT: a.cpp:8:11: note: 'Bytes::iterator::operator++' calls 'read' here
// WARN:      a.cpp:27:9: warning: operator 'Word::operator++' reaches blocking I/O but cannot become a coroutine: it stays synchronous
// WARN-NEXT: a.cpp:36:3: note: synchronous code calls it here, and an operator cannot keep a blocking facade under another name

// CHECK:          if (vinyl::block_on(vinyl::io::read(0, &c, 1)) != 1 || c == '\n')
// CHECK:      int sum() {
// CHECK-NEXT:   int s = 0;
// CHECK-NEXT:   for (char c : Bytes{})
// CHECK:          last = vinyl::block_on(vinyl::io::read(0, &c, 1)) == 1 ? c : 0;

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input
abc
xy
//--- a.cpp
#include <cstdio>
#include <unistd.h>

struct Bytes {
  struct iterator {
    char c;
    iterator &operator++() {
      if (::read(0, &c, 1) != 1 || c == '\n')
        c = 0;
      return *this;
    }
    char operator*() const { return c; }
    bool operator!=(const iterator &o) const { return c != o.c; }
  };
  iterator begin() { return ++iterator{1}; }
  iterator end() { return {0}; }
};
int sum() {
  int s = 0;
  for (char c : Bytes{})
    s += c;
  return s;
}

struct Word {
  char last = 0;
  Word &operator++() {
    char c = 0;
    last = ::read(0, &c, 1) == 1 ? c : 0;
    return *this;
  }
};
int main() {
  std::printf("%d\n", sum());
  Word w;
  ++w;
  ++w;
  std::printf("%c\n", w.last);
}
