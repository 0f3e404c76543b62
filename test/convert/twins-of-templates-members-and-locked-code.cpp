// Synchronous twins (`facades: twins: true`) of the shapes a copy must
// keep: a member defined in its class gets its twin in the class; a
// function template's twin keeps the template header, and its facade
// passes the twin what the call cannot deduce; a std::mutex held across
// the write becomes a vinyl::mutex, which the coroutine locks with an
// await and the twin with the std::lock_guard synchronous code uses. A
// parameter left unnamed stays unnamed in the twin (the facade names it;
// -Wextra would flag it unused in the copy). A function whose address is
// taken gets no twin: a second overload would make `&first` ambiguous. The
// converted program prints what the original prints, with both compilers,
// in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp -pthread && %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t 2> %t/err.txt
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address,undefined
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/async.out && diff %t/orig.out %t/async.out
// RUN: %vinyl --check %t > %t/check.txt 2>&1 || true
// RUN: not grep twin-out-of-step %t/check.txt

// CHECK:        vinyl::task<int> next() {
// CHECK:        // The synchronous twin of 'Buffered::next' for blocking mode (vinyl-asyncify): keep the two in step.
// CHECK-NEXT:   // vinyl-twin-fingerprint: {{[0-9a-f]+}}
// CHECK-NEXT:   int next(vinyl::twin_t) {
// CHECK-NEXT:     if (pos == len) {
// CHECK-NEXT:       len = read(fd, buf, sizeof buf);

// CHECK:        auto g = co_await vinyl::scoped_lock(mu_);
// CHECK:        void note(vinyl::twin_t, const std::string &s) {
// CHECK-NEXT:     std::lock_guard<vinyl::mutex> g(mu_);
// CHECK-NEXT:     last_ = s;
// CHECK-NEXT:     write(1, s.data(), s.size());

// CHECK:      int skip(vinyl::twin_t, Buffered &b, int /*flags*/) {
// CHECK-NEXT:   return b.next(vinyl::twin);
// CHECK-NOT:  first(vinyl::twin_t

// A twin nothing declares before goes before the facade that calls it.
// CHECK:      template <class T, class Pred> T count_if_bytes(vinyl::twin_t, Buffered &b, Pred p) {
// CHECK:        for (int c; (c = b.next(vinyl::twin)) >= 0;)
// CHECK:          log.note(vinyl::twin, std::string(1, char(c)));
// CHECK:      template <class T, class Pred> T count_if_bytes(Buffered &b, Pred p) {
// CHECK-NEXT:   if (vinyl::runs_blocking())
// CHECK-NEXT:     return count_if_bytes<T>(vinyl::twin, b, p);
// CHECK-NEXT:   return vinyl::block_on(count_if_bytes_async<T>(b, p));
// CHECK-NEXT: }

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades:
  sync_main: true
  twins: true
//--- input.txt
banana
//--- a.cpp
#include <cstdio>
#include <mutex>
#include <string>
#include <unistd.h>

struct Buffered {
  int fd = 0;
  char buf[3];
  int len = 0, pos = 0;
  int next() {
    if (pos == len) {
      len = read(fd, buf, sizeof buf);
      if (len <= 0)
        return -1;
      pos = 0;
    }
    return buf[pos++];
  }
};

class Log {
public:
  void note(const std::string &s) {
    std::lock_guard<std::mutex> g(mu_);
    last_ = s;
    write(1, s.data(), s.size());
  }

private:
  std::mutex mu_;
  std::string last_;
};

int skip(Buffered &b, int /*flags*/) {
  return b.next();
}

int first(Buffered &b) {
  return b.next();
}

template <class T, class Pred> T count_if_bytes(Buffered &b, Pred p) {
  Log log;
  T n = skip(b, 0) == 'b';
  for (int c; (c = b.next()) >= 0;)
    if (p(c)) {
      ++n;
      log.note(std::string(1, char(c)));
    }
  return n;
}

int main() {
  Buffered b;
  int (*read_first)(Buffered &) = &first;
  std::printf("%c", read_first(b));
  long n = count_if_bytes<long>(b, [](int c) { return c == 'a'; });
  std::printf("\n%ld\n", n);
}
