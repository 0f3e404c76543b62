// POSIX file calls with EINTR and short-count handling (see file_io.h).
#include "file_io.h"

#include "recordlog/recordlog.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace recordlog::detail {
namespace {

[[noreturn]] void fail(const char *call, const std::string &path) {
  int err = errno;
  throw Error(std::string(call) + " " + path + ": " + std::strerror(err), err);
}

} // namespace

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() noexcept { return std::exchange(fd_, -1); }

void UniqueFd::reset() noexcept {
  if (fd_ >= 0)
    ::close(std::exchange(fd_, -1));
}

UniqueFd open_file(const std::string &path, int flags, unsigned mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0)
    fail("open", path);
  return UniqueFd(fd);
}

std::size_t read_full(int fd, void *buf, std::size_t size,
                      const std::string &path) {
  auto *out = static_cast<char *>(buf);
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail("read", path);
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::size_t pread_full(int fd, void *buf, std::size_t size,
                       std::uint64_t offset, const std::string &path) {
  auto *out = static_cast<char *>(buf);
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, out + done, size - done,
                        static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail("pread", path);
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

void write_full(int fd, const void *buf, std::size_t size,
                const std::string &path) {
  const auto *in = static_cast<const char *>(buf);
  while (size > 0) {
    ssize_t n = ::write(fd, in, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail("write", path);
    in += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::uint64_t file_size(int fd, const std::string &path) {
  struct stat st;
  if (::fstat(fd, &st) < 0)
    fail("fstat", path);
  return static_cast<std::uint64_t>(st.st_size);
}

void seek_to(int fd, std::uint64_t offset, const std::string &path) {
  if (::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0)
    fail("lseek", path);
}

void truncate_to(int fd, std::uint64_t size, const std::string &path) {
  if (::ftruncate(fd, static_cast<off_t>(size)) < 0)
    fail("ftruncate", path);
}

void sync_file(int fd, const std::string &path) {
  if (::fsync(fd) < 0)
    fail("fsync", path);
}

} // namespace recordlog::detail
