// writev, readv, sendmsg, recvmsg and select are leaves of the bundled
// rules: each call is awaited through its vinyl::io awaitable, and the
// converted program gives the original's output in blocking and async mode
// (where the loop waits on select and the transfers).
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %build-both %t/orig %t/a.cpp
// RUN: %t/orig.gcc > %t/orig.out
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %build-both %t/conv %t/a.cpp -pthread
// RUN: %t/conv.gcc > %t/gcc.out && diff %t/orig.out %t/gcc.out
// RUN: %t/conv.clang > %t/clang.out && diff %t/orig.out %t/clang.out
// RUN: env VINYL_IO=async %t/conv.gcc > %t/gcc-async.out && diff %t/orig.out %t/gcc-async.out
// RUN: env VINYL_IO=async VINYL_IO_BACKEND=epoll %t/conv.clang > %t/clang-epoll.out && diff %t/orig.out %t/clang-epoll.out
// RUN: FileCheck %s --check-prefix=OUT --match-full-lines --input-file=%t/gcc.out
// RUN: %vinyl --check %t

// CHECK:      vinyl::task<long> put_async(int fd, const char *a, const char *b) {
// CHECK:        co_return co_await vinyl::io::writev(fd, v, 2);
// CHECK:      vinyl::task<bool> wait_readable_async(int fd) {
// CHECK:        co_return co_await vinyl::io::select(fd + 1, &r, nullptr, nullptr, &t) == 1;
// CHECK:        long n = co_await vinyl::io::readv(fd, v, 2);
// CHECK:        if (co_await vinyl::io::sendmsg(fd, &m, 0) != 3)
// CHECK:        long n = co_await vinyl::io::recvmsg(fd, &m, 0);

// OUT: ready 1
// OUT: got 9: key=value
// OUT: message 3: xyz

//--- .vinyl.yaml
# main stays synchronous: it is the synchronous caller this test needs
facades: { sync_main: true }
//--- a.cpp
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

long put(int fd, const char *a, const char *b) {
  iovec v[2] = {{const_cast<char *>(a), std::strlen(a)},
                {const_cast<char *>(b), std::strlen(b)}};
  return ::writev(fd, v, 2);
}

bool wait_readable(int fd) {
  fd_set r;
  FD_ZERO(&r);
  FD_SET(fd, &r);
  timeval t{2, 0};
  return ::select(fd + 1, &r, nullptr, nullptr, &t) == 1;
}

std::string take(int fd) {
  char k[4] = {}, rest[16] = {};
  iovec v[2] = {{k, 3}, {rest, 15}};
  long n = ::readv(fd, v, 2);
  return std::to_string(n) + ": " + k + rest;
}

std::string message(int fd) {
  char out[] = "xyz";
  iovec ov{out, 3};
  msghdr m{};
  m.msg_iov = &ov;
  m.msg_iovlen = 1;
  if (::sendmsg(fd, &m, 0) != 3)
    return "send failed";
  return "";
}

std::string receive(int fd) {
  char in[8] = {};
  iovec iv{in, sizeof in - 1};
  msghdr m{};
  m.msg_iov = &iv;
  m.msg_iovlen = 1;
  long n = ::recvmsg(fd, &m, 0);
  return std::to_string(n) + ": " + in;
}

int main() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  put(p[1], "key=", "value");
  std::printf("ready %d\n", wait_readable(p[0]) ? 1 : 0);
  std::printf("got %s\n", take(p[0]).c_str());
  int s[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0)
    return 1;
  std::string e = message(s[0]);
  std::printf("message %s%s\n", e.c_str(), receive(s[1]).c_str());
}
