// co_await is not allowed in a catch handler, so a handler that awaits
// (retry and rollback logic) keeps the exception and the index of the
// handler that matched, and its body runs after the try statement: its
// declaration is bound to the same exception object (a reference) or a
// copy (a value), and `throw;` rethrows what was kept. Handlers keep their
// order; one without awaits stays as written. When nothing else completes
// the try statement normally, the last moved body is a plain `else` (no
// path falls off the end of the coroutine). The program prints the same
// with both compilers, in both modes.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc < %t/input.txt > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread -fsanitize=address
// RUN: %t/conv.gcc < %t/input.txt > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang < %t/input.txt > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc < %t/input.txt > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      vinyl::task<int> fetch_async(int fd, int tries) {
// CHECK-NEXT:   { {{\[\[}}maybe_unused]] std::exception_ptr vinyl_exception_36; {{\[\[}}maybe_unused]] int vinyl_handler_36 = 0; try {
// CHECK-NEXT:     co_return co_await get_async(fd);
// CHECK-NEXT:   } catch (const io_error &e) { vinyl_exception_36 = std::current_exception(); vinyl_handler_36 = 1; } catch (const std::logic_error &) {
// CHECK-NEXT:     co_return -2;
// CHECK-NEXT:   } catch (code_error ce) { vinyl_exception_36 = std::current_exception(); vinyl_handler_36 = 3; } catch (...) { vinyl_exception_36 = std::current_exception(); vinyl_handler_36 = 4; } if (vinyl_handler_36 == 1) { const io_error &e = *vinyl::caught<const io_error &>(vinyl_exception_36);
// CHECK-NEXT:     std::printf("retry after %s\n", e.what());
// CHECK-NEXT:     if (tries > 0)
// CHECK-NEXT:       co_return co_await fetch_async(fd, tries - 1);
// CHECK-NEXT:     std::rethrow_exception(vinyl_exception_36);
// CHECK-NEXT:   } else if (vinyl_handler_36 == 3) { code_error ce = *vinyl::caught<code_error >(vinyl_exception_36);
// CHECK-NEXT:     co_await note(fd);
// CHECK-NEXT:     co_return ce.code;
// CHECK-NEXT:   } else {
// CHECK-NEXT:     co_await note(fd);
// CHECK-NEXT:     std::rethrow_exception(vinyl_exception_36);
// CHECK-NEXT:   } }
// CHECK-NEXT: }
// CHECK:      vinyl::task<int> once_async(int fd) {
// CHECK-NEXT:   { {{\[\[}}maybe_unused]] std::exception_ptr vinyl_exception_56; {{\[\[}}maybe_unused]] int vinyl_handler_56 = 0; try {
// CHECK-NEXT:     co_return co_await get_async(fd);
// CHECK-NEXT:   } catch (const std::logic_error &) { vinyl_exception_56 = std::current_exception(); vinyl_handler_56 = 1; } {
// CHECK-NEXT:     co_await note(fd);
// CHECK-NEXT:     co_return -1;
// CHECK-NEXT:   } }

// OUT:      retry after odd byte 'b'
// OUT-NEXT: got 99
// OUT-NEXT: retry after odd byte 'd'
// OUT-NEXT: retry after odd byte 'f'
// OUT-NEXT: failed: odd byte 'f' (code 102)
// OUT-NEXT: logic -2
// OUT-NEXT: noted 'x'
// OUT-NEXT: code 105
// OUT-NEXT: noted 'y'
// OUT-NEXT: other 7

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- input.txt
abcdfkixmy
//--- a.cpp
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unistd.h>

struct io_error : std::runtime_error {
  io_error(const std::string &m, int code) : std::runtime_error(m), code(code) {}
  int code;
};
struct code_error {
  int code;
};

static int get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  if (c == 'k')
    throw std::logic_error("k");
  if (c == 'm')
    throw 7;
  if (c == 'i')
    throw code_error{c};
  if (c % 2 == 0)
    throw io_error(std::string("odd byte '") + c + "'", c);
  return c;
}

static void note(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  std::printf("noted '%c'\n", c);
}

int fetch(int fd, int tries) {
  try {
    return get(fd);
  } catch (const io_error &e) {
    std::printf("retry after %s\n", e.what());
    if (tries > 0)
      return fetch(fd, tries - 1);
    throw;
  } catch (const std::logic_error &) {
    return -2;
  } catch (code_error ce) {
    note(fd);
    return ce.code;
  } catch (...) {
    note(fd);
    throw;
  }
}

// One moved handler, after a try block that returns: a plain block.
int once(int fd) {
  try {
    return get(fd);
  } catch (const std::logic_error &) {
    note(fd);
    return -1;
  }
}

int main() {
  if (std::getenv("NEVER"))
    return once(0);
  get(0);
  std::printf("got %d\n", fetch(0, 1));
  try {
    fetch(0, 1);
  } catch (const io_error &e) {
    std::printf("failed: %s (code %d)\n", e.what(), e.code);
  }
  std::printf("logic %d\n", fetch(0, 0));
  std::printf("code %d\n", fetch(0, 0));
  try {
    fetch(0, 0);
  } catch (int n) {
    std::printf("other %d\n", n);
  }
}
